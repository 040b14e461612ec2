package dev.roomgate.resilience;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.config.ProviderInstance;

/**
 * What one instance's {@link PermitQueue} decided: permits by lane and client, how long they were waited for, and
 * lookups admitted, refused before their first call, and abandoned after it (quota spent on no answer). Client tags
 * come from a closed set (key names, {@code token}, {@code anonymous}), never a token's subject.
 */
public final class PermitMeters {

    // Waits run from a pacing step (milliseconds) to a whole budget (seconds).
    private static final Duration[] WAIT_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2) };

    private final MeterRegistry registry;

    private final ProviderInstance instance;

    private final AtomicInteger waiting;

    private final Map<PermitQueue.Lane, Timer> waits = new EnumMap<>(PermitQueue.Lane.class);

    private final Counter admitted;

    private final Counter refused;

    private final Counter abandoned;

    PermitMeters(MeterRegistry registry, ProviderInstance instance) {
        this.registry = registry;
        this.instance = instance;
        this.waiting = new AtomicInteger();
        Gauge.builder("roomgate.quota.waiting", waiting, AtomicInteger::get)
            .description("Calls waiting for a quota permit right now")
            .tag("provider", instance.name())
            .register(registry);
        for (PermitQueue.Lane lane : PermitQueue.Lane.values()) {
            waits.put(lane, Timer.builder("roomgate.quota.wait")
                .description("Time a call waited for its quota permit, by lane (continuation, interactive, background)")
                .tag("provider", instance.name())
                .tag("lane", lane.tag())
                .serviceLevelObjectives(WAIT_BUCKETS)
                .register(registry));
        }
        this.admitted = lookups("admitted");
        this.refused = lookups("refused");
        this.abandoned = lookups("abandoned");
    }

    private Counter lookups(String outcome) {
        return Counter.builder("roomgate.quota.lookups")
            .description("Lookups whose first call the quota admitted, refused before it, or that were abandoned "
                    + "after it because a later call got no permit in time")
            .tag("provider", instance.name())
            .tag("outcome", outcome)
            .register(registry);
    }

    AtomicInteger waiting() {
        return waiting;
    }

    void granted(PermitQueue.Lane lane, QuotaClaim claim, Duration waited) {
        waits.get(lane).record(waited);
        if (lane != PermitQueue.Lane.CONTINUATION) {
            admitted.increment();
        }
        Counter.builder("roomgate.quota.permits")
            .description("Quota permits granted, by lane and client")
            .tag("provider", instance.name())
            .tag("lane", lane.tag())
            .tag("client", claim.label())
            .register(registry)
            .increment();
    }

    /** A call the queue or its wait bound refused. */
    void refused(PermitQueue.Lane lane) {
        (lane == PermitQueue.Lane.CONTINUATION ? abandoned : refused).increment();
    }
}
