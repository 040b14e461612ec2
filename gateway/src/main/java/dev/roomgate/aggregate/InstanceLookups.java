package dev.roomgate.aggregate;

import reactor.core.publisher.Mono;

/** How one instance's answer is obtained for one request: straight from the provider, or shared and reused. */
public interface InstanceLookups {

    /**
     * @param noCache the client asked for a fresh answer ({@code Cache-Control: no-cache})
     * @param budget this request's time for this instance
     * @return never an error: every outcome is a value
     */
    Mono<InstanceAnswer> lookup(ProviderClient client, RoomQuery query, boolean noCache, CallBudget budget);

    /** Every request asks the provider itself: no reuse, no sharing. */
    static InstanceLookups direct() {
        return (client, query, noCache, budget) -> UpstreamLookup.fetch(client, query, budget);
    }
}
