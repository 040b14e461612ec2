package dev.roomgate.fleet;

import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomListing;

/** How an instance's room listing is read: by this replica, or, in cluster mode, once for every replica. */
@FunctionalInterface
public interface ListingReader {

    /** A listing and how old it is: zero when read for this call, its age when another replica read it. */
    record Read(RoomListing listing, Duration age) {
    }

    /**
     * @param fresh the requester asked for a listing read now, so another replica's stored one will not do
     * @param progress told after every page this replica reads itself
     * @return fails with {@code ProviderException} when the listing could not be read
     */
    Mono<Read> read(ProviderClient client, boolean fresh, CallBudget budget,
            ListingProgress progress);

    /** This replica asks the provider itself. */
    static ListingReader alone() {
        return (client, fresh, budget, progress) -> client.listRooms(budget, progress).map(listing -> new Read(listing, Duration.ZERO));
    }
}
