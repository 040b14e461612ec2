package dev.roomgate.cache;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceAnswer;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.UpstreamLookup;

/** How a lookup the cache could not answer is fetched: by this replica alone, or once for every replica. */
@FunctionalInterface
public interface RoomFetcher {

    /**
     * @param fresh the requester refused reused answers ({@code no-cache}), so another replica's stored answer
     *        will not do
     * @param budget the shared lookup's budget ({@link CallBudget#forSharedLookup})
     * @return never an error: every outcome is a value; an answer another replica fetched comes as
     *         {@code cache}, with its age there
     */
    Mono<InstanceAnswer> fetch(ProviderClient client, RoomQuery query, boolean fresh, CallBudget budget);

    /** This replica asks the provider itself. */
    static RoomFetcher alone() {
        return (client, query, fresh, budget) -> UpstreamLookup.fetch(client, query, budget);
    }
}
