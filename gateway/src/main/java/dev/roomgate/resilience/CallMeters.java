package dev.roomgate.resilience;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.roomgate.config.ProviderInstance;

/**
 * {@code roomgate.provider.calls}: every upstream HTTP call, by instance, type, provider operation and outcome. Tag
 * values come from closed sets (configured names, operation names, statuses), never from a room or a URL.
 */
public final class CallMeters {

    // Provider latencies run from a few milliseconds to the attempt deadline (1 s by default).
    static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5) };

    private final MeterRegistry registry;

    public CallMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void call(ProviderInstance instance, String api, String outcome, Duration took) {
        Timer.builder("roomgate.provider.calls")
            .description("Upstream HTTP calls, one per attempt, by provider operation and outcome")
            .tag("provider", instance.name())
            .tag("type", instance.type().wireName())
            .tag("api", api)
            .tag("outcome", outcome)
            .serviceLevelObjectives(BUCKETS)
            .register(registry)
            .record(took);
    }
}
