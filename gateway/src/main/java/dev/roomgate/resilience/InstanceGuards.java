package dev.roomgate.resilience;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderInstance;

/** Builds and holds the {@link InstanceGuard} of every enabled instance, and exports their meters. */
public final class InstanceGuards {

    private final Map<String, InstanceGuard> byName = new LinkedHashMap<>();

    public InstanceGuards(List<ProviderInstance> instances, MeterRegistry meters, LongSupplier nanoTime) {
        this(instances, SharedQuotas.none(), meters, nanoTime);
    }

    public InstanceGuards(List<ProviderInstance> instances, SharedQuotas shared, MeterRegistry meters,
            LongSupplier nanoTime) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        for (ProviderInstance instance : instances) {
            CircuitBreaker breaker = breakers.circuitBreaker(instance.name(), breakerConfig(instance));
            Bulkhead bulkhead = bulkheads.bulkhead(instance.name(), BulkheadConfig.custom()
                .maxConcurrentCalls(instance.maxConcurrentCalls())
                // Never queue behind the bulkhead: a full bulkhead means the provider is already saturated by us.
                .maxWaitDuration(Duration.ZERO)
                .build());
            SharedQuota sharedQuota = shared.of(instance);
            SlidingWindowQuota quota = new SlidingWindowQuota(instance.requestsPerSecond(), sharedQuota.window(),
                    nanoTime);
            ProviderInstance.RetryPolicy retry = instance.retry();
            RetryBudget budget = new RetryBudget(retry.budgetPercent(), retry.budgetMinRetries(), nanoTime);
            Gauge.builder("roomgate.quota.available", quota, SlidingWindowQuota::available)
                .description("Upstream calls this instance's quota would let start right now")
                .tag("provider", instance.name())
                .register(meters);
            Gauge.builder("roomgate.quota.late.margin", quota, q -> q.lateMargin().toNanos() / 1e9)
                .description("How much longer than configured the quota's window is now, for its own timers firing "
                        + "late (a starved machine): the quota runs at limit / window")
                .baseUnit("seconds")
                .tag("provider", instance.name())
                .register(meters);
            Gauge.builder("roomgate.quota.limit", quota, SlidingWindowQuota::limit)
                .description("Upstream calls allowed per sliding second")
                .tag("provider", instance.name())
                .register(meters);
            Counter rejections = counter(meters, instance, "roomgate.quota.rejections",
                    "Calls refused because the quota could not grant a start within the budget");
            Counter refused = counter(meters, instance, "roomgate.retry.budget.exhausted",
                    "Retries refused by the retry budget");
            Counter calls = counter(meters, instance, "roomgate.upstream.calls",
                    "Upstream HTTP calls made, first attempts, retries, pages and redirect hops alike");
            Counter retries = counter(meters, instance, "roomgate.provider.retries",
                    "Upstream calls that were retries");
            PermitMeters permitMeters = new PermitMeters(meters, instance);
            PermitQueue permits = new PermitQueue(quota, instance.maxWaiting(), nanoTime, permitMeters);
            byName.put(instance.name(), new InstanceGuard(instance, breaker, bulkhead, quota, permits,
                    sharedQuota, budget, new ProviderThrottle(instance, meters, nanoTime),
                    new InstanceMeters(rejections, refused, calls, retries, permitMeters),
                    listQuota(instance, shared, nanoTime)));
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    /**
     * The listing's limit is kept by each replica alone, at its part of it: listings are rare (one per instance at a
     * time, reused for seconds), so the split costs little and needs no Redis round trip.
     */
    private static SlidingWindowQuota listQuota(ProviderInstance instance, SharedQuotas shared, LongSupplier nanoTime) {
        int part = Math.max(1, instance.listRequestsPerSecond() / Math.max(1, shared.replicas()));
        return new SlidingWindowQuota(part, nanoTime);
    }

    private static Counter counter(MeterRegistry meters, ProviderInstance instance, String name, String description) {
        return Counter.builder(name).description(description).tag("provider", instance.name()).register(meters);
    }

    /** The guard of an enabled instance, or null for one that is not (a disabled instance has none). */
    public InstanceGuard find(String instanceName) {
        return byName.get(instanceName);
    }

    public InstanceGuard of(ProviderInstance instance) {
        InstanceGuard guard = byName.get(instance.name());
        if (guard == null) {
            throw new IllegalArgumentException("no guard for instance " + instance.name());
        }
        return guard;
    }

    private static CircuitBreakerConfig breakerConfig(ProviderInstance instance) {
        ProviderInstance.BreakerPolicy policy = instance.breaker();
        return CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(policy.window())
            .minimumNumberOfCalls(policy.minimumCalls())
            .failureRateThreshold(policy.failureRatePercent())
            .waitDurationInOpenState(policy.openFor())
            .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
            .recordException(error -> health(error) == ProviderException.Health.FAILURE)
            .ignoreException(error -> health(error) == ProviderException.Health.IGNORED)
            .build();
    }

    /**
     * A classified failure's own verdict ({@link ProviderException#health()}); anything else is our processing of
     * an answer that came, so the instance answered.
     */
    static ProviderException.Health health(Throwable error) {
        return error instanceof ProviderException failure ? failure.health() : ProviderException.Health.SUCCESS;
    }
}
