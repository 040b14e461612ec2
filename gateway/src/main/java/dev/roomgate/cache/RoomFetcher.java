package dev.roomgate.cache;

import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.Fetched;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.UpstreamLookup;

/** How a lookup the cache could not answer is fetched: by this replica alone, or once for every replica. */
@FunctionalInterface
public interface RoomFetcher {

    /**
     * @param fresh the requester refused reused answers ({@code no-cache}), so another replica's stored answer
     *        will not do
     * @return never an error: every outcome is a value
     */
    Mono<Fetch> fetch(ProviderClient client, RoomQuery query, boolean fresh);

    /**
     * @param age how old the answer already is (another replica may have fetched it a while ago)
     * @param fromAnotherReplica another replica fetched it, which makes it a reused answer here
     */
    record Fetch(Fetched fetched, Duration age, boolean fromAnotherReplica) {

        public static Fetch ours(Fetched fetched) {
            return new Fetch(fetched, Duration.ZERO, false);
        }
    }

    /** This replica asks the provider itself, with the instance's whole budget. */
    static RoomFetcher alone() {
        return (client, query, fresh) -> UpstreamLookup.fetch(client, query, client.instance().timeout())
            .map(Fetch::ours);
    }
}
