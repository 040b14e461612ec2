package dev.roomgate.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.RoomDocument;

/**
 * What each answer was: {@code roomgate.aggregate.requests} (by outcome and status class), {@code
 * roomgate.provider.results} (by instance and status) and {@code roomgate.overhead}, the time spent on a request
 * other than waiting for its slowest provider. Tags come from closed sets only: never a room id or a path.
 */
final class AnswerMeters {

    // Fine around the default 2 s instance timeout, where answers that waited one out land, so that the p99
    // alert's 2.5 s threshold sits on a bucket edge instead of being interpolated.
    static final Duration[] REQUEST_BUCKETS = { Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMillis(2250), Duration.ofMillis(2500), Duration.ofSeconds(3), Duration.ofSeconds(5) };

    static final Duration[] OVERHEAD_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100) };

    private final MeterRegistry registry;

    // The meters of each tag combination, found once: building and registering a meter per answer (id, sorted
    // tags, registry lookup) cost more than recording into it. The tag sets are closed, so these stay small.
    private final ConcurrentMap<RequestsKey, Timer> requests = new ConcurrentHashMap<>();

    private final ConcurrentMap<ResultsKey, Counter> results = new ConcurrentHashMap<>();

    private final Timer overhead;

    private record RequestsKey(String outcome, int statusClass) {
    }

    private record ResultsKey(String provider, String type, String status, String source) {
    }

    AnswerMeters(MeterRegistry registry) {
        this.registry = registry;
        this.overhead = Timer.builder("roomgate.overhead")
            .description("Time of a request not spent waiting for its slowest provider: validation, fan-out, merge")
            .serviceLevelObjectives(OVERHEAD_BUCKETS)
            .register(registry);
    }

    void answered(RoomDocument document, Duration took) {
        int status = document.httpStatus();
        requests.computeIfAbsent(new RequestsKey(outcome(document), status / 100), this::requestsTimer).record(took);
        long slowest = 0;
        for (ProviderResult result : document.providers()) {
            slowest = Math.max(slowest, result.latencyMs());
            results.computeIfAbsent(new ResultsKey(result.provider(), result.providerType().wireName(),
                    result.status().wireName(), result.source().wireName()), this::resultsCounter).increment();
        }
        long overheadNanos = took.toNanos() - Duration.ofMillis(slowest).toNanos();
        overhead.record(Math.max(0, overheadNanos), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Timer requestsTimer(RequestsKey key) {
        return Timer.builder("roomgate.aggregate.requests")
            .description("Answers to GET /v1/rooms/{roomId}, by how complete they were")
            .tag("outcome", key.outcome())
            .tag("status", key.statusClass() + "xx")
            .serviceLevelObjectives(REQUEST_BUCKETS)
            .register(registry);
    }

    private Counter resultsCounter(ResultsKey key) {
        return Counter.builder("roomgate.provider.results")
            .description("Per-instance results in answers, by status and where they came from")
            .tag("provider", key.provider())
            .tag("type", key.type())
            .tag("status", key.status())
            .tag("source", key.source())
            .register(registry);
    }

    static String outcome(RoomDocument document) {
        return switch (document.httpStatus()) {
            case 404 -> "not_found";
            case 502 -> "failed";
            default -> document.complete() ? "complete" : "partial";
        };
    }
}
