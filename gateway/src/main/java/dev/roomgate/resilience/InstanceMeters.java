package dev.roomgate.resilience;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;

/**
 * The bookkeeping of one instance's guards, apart from the guards themselves.
 *
 * @param quotaRejections calls refused because the quota could not grant in time
 * @param retriesRefused retries the budget refused
 * @param upstreamCalls every call that went out, first attempts, retries, pages and redirect hops alike
 * @param retriesMade calls that went out as retries
 * @param waiting calls waiting for a quota permit right now
 */
public record InstanceMeters(Counter quotaRejections, Counter retriesRefused, Counter upstreamCalls,
        Counter retriesMade, AtomicInteger waiting) {
}
