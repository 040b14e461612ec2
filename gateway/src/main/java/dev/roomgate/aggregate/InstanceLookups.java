package dev.roomgate.aggregate;

import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;

/** How one instance's answer is obtained for one request: straight from the provider, or shared and reused. */
public interface InstanceLookups {

    /**
     * @param noCache the client asked for a fresh answer ({@code Cache-Control: no-cache})
     * @param budget this request's time for this instance
     * @return never an error: every outcome is a value
     */
    Mono<InstanceAnswer> lookup(ProviderClient client, RoomQuery query, boolean noCache, CallBudget budget);

    /**
     * The instance's room listing was just read (the fleet view): answers kept for its rooms may be refreshed by
     * what it carries, and kept answers of rooms it says are not live may be marked out of date. Nothing is kept
     * without reuse, so by default nothing happens.
     */
    default void listed(ProviderInstance instance, RoomListing listing) {
    }

    /**
     * The provider said the room changed (a verified webhook): answers kept for it are out of date, so the next
     * lookup asks again. A hint, never data: nothing is written from it.
     */
    default void changed(ProviderInstance instance, String roomId) {
    }

    /** Every request asks the provider itself: no reuse, no sharing. */
    static InstanceLookups direct() {
        return (client, query, noCache, budget) -> UpstreamLookup.fetch(client, query, budget);
    }
}
