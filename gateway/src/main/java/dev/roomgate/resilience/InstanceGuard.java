package dev.roomgate.resilience;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;

import dev.roomgate.config.ProviderInstance;

/**
 * Everything that protects one provider instance, and the instance from us.
 *
 * @param breaker stops calling an instance that keeps failing
 * @param bulkhead bounds the calls in flight
 * @param quota this replica's outbound quota, in every sliding second; it also paces calls
 * @param shared the part of the quota other replicas share ({@link SharedQuota#NONE} on one node)
 * @param retryBudget bounds retries to a share of calls
 * @param quotaRejections calls refused because the quota could not grant in time
 * @param retriesRefused retries the budget refused
 * @param upstreamCalls every call that went out, first attempts, retries and pages alike
 * @param retriesMade calls that went out as retries
 * @param waiting calls waiting for a quota permit right now
 */
public record InstanceGuard(ProviderInstance instance, CircuitBreaker breaker, Bulkhead bulkhead,
        SlidingWindowQuota quota, SharedQuota shared, RetryBudget retryBudget, Counter quotaRejections, Counter retriesRefused,
        Counter upstreamCalls, Counter retriesMade, AtomicInteger waiting) {
}
