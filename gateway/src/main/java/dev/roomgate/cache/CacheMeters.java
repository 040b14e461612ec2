package dev.roomgate.cache;

import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the cache did with each client lookup, exactly one result each, so the results add up to
 * {@code roomgate.room.lookups}: {@code hit} (fresh answer reused), {@code refresh} (old answer served while one
 * background refresh runs), {@code miss} (started a lookup), {@code coalesced} (shared one already running),
 * {@code stale} (old answer served because the provider failed). Lookups started, background refreshes included,
 * count in {@code roomgate.cache.fetches}. With {@code roomgate.upstream.calls} this gives the amplification.
 */
public final class CacheMeters {

    private final MeterRegistry registry;

    public CacheMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("roomgate.amplification.ratio", registry, CacheMeters::amplification)
            .description("Upstream calls per client lookup since start; below 1 when reuse and sharing save calls")
            .register(registry);
    }

    private static double amplification(MeterRegistry registry) {
        double calls = registry.find("roomgate.upstream.calls").counters().stream().mapToDouble(Counter::count).sum();
        double lookups = registry.find("roomgate.room.lookups").counters().stream().mapToDouble(Counter::count).sum();
        return lookups == 0 ? 0 : calls / lookups;
    }

    void count(String instance, String result) {
        Counter.builder("roomgate.cache.lookups")
            .description("Per-instance lookups of client requests, by what the cache did with them")
            .tag("provider", instance)
            .tag("result", result)
            .register(registry)
            .increment();
    }

    void keptFromListing(String instance, int answers) {
        Counter.builder("roomgate.cache.listed")
            .description("Room answers kept from a room listing that carried them whole, without a lookup of their own")
            .tag("provider", instance)
            .register(registry)
            .increment(answers);
    }

    void changed(String instance) {
        Counter.builder("roomgate.cache.changed")
            .description("Times a provider said a room changed (a verified webhook), marking its kept answers out of date")
            .tag("provider", instance)
            .register(registry)
            .increment();
    }

    void fetchStarted(String instance) {
        Counter.builder("roomgate.cache.fetches")
            .description("Shared upstream lookups started, background refreshes included")
            .tag("provider", instance)
            .register(registry)
            .increment();
    }

    void lookedUp(String instance) {
        Counter.builder("roomgate.room.lookups")
            .description("Per-instance lookups client requests asked for (one request, one per selected instance)")
            .tag("provider", instance)
            .register(registry)
            .increment();
    }

    void bindSize(LongSupplier size) {
        Gauge.builder("roomgate.cache.entries", size::getAsLong)
            .description("Answers held by the cache")
            .register(registry);
    }
}
