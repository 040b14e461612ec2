package dev.roomgate.resilience;

import io.micrometer.core.instrument.Counter;

/**
 * The bookkeeping of one instance's guards, apart from the guards themselves.
 *
 * @param quotaRejections calls refused because the quota could not grant in time
 * @param retriesRefused retries the budget refused
 * @param upstreamCalls every call that went out, first attempts, retries, pages and redirect hops alike
 * @param retriesMade calls that went out as retries
 * @param permits what the permit queue decided, and the calls waiting for a permit right now
 */
public record InstanceMeters(Counter quotaRejections, Counter retriesRefused, Counter upstreamCalls,
        Counter retriesMade, PermitMeters permits) {

    /** Calls waiting for a quota permit right now. */
    public int callsWaiting() {
        return permits.waiting().get();
    }
}
