package dev.roomgate.resilience;

import java.util.Locale;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import dev.roomgate.config.ProviderInstance;

/**
 * Everything that protects one provider instance, and the instance from us.
 *
 * @param breaker stops calling an instance that keeps failing
 * @param bulkhead bounds the calls in flight
 * @param quota this replica's outbound quota, in every sliding second; it also paces calls
 * @param permits who gets the quota's next permit when it is contended
 * @param shared the part of the quota other replicas share ({@link SharedQuota#NONE} on one node)
 * @param retryBudget bounds retries to a share of calls
 * @param throttle the provider's own limit, as it last told us
 * @param meters what the guards let through and refused
 * @param listQuota the room listing's own limit, this replica's part of it
 */
public record InstanceGuard(ProviderInstance instance, CircuitBreaker breaker, Bulkhead bulkhead,
        SlidingWindowQuota quota, PermitQueue permits, SharedQuota shared, RetryBudget retryBudget, ProviderThrottle throttle,
        InstanceMeters meters, SlidingWindowQuota listQuota) {

    /** The breaker's state as the API names it: {@code closed}, {@code open}, {@code half_open}, ... */
    public String breakerState() {
        return breaker.getState().name().toLowerCase(Locale.ROOT);
    }
}
