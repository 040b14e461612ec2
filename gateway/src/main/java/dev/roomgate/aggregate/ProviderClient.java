package dev.roomgate.aggregate;

import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;

/** Fetches one room from one provider instance and maps it into the normalized schema. */
public interface ProviderClient {

    ProviderInstance instance();

    /**
     * @param budget the lookup's time; every upstream call and retry stays inside it
     * @return {@link Outcome.Found}, or {@link Outcome.NotFound} when the provider says authoritatively that the
     *         room is not live; fails with {@link ProviderException} for everything else
     */
    Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget);

    /**
     * Every room live at the instance, from the provider's own listing (contract 2.1), with no participant list:
     * a field the listing lacks is null, never fetched room by room.
     *
     * @param budget the listing's time; every page and retry stays inside it
     * @param progress told after every page of a paged listing, for requests that cannot wait for its end
     * @return the rooms, in the provider's order, each once (none when none is live); fails with
     *         {@link ProviderException} when the listing could not be read
     */
    Mono<RoomListing> listRooms(CallBudget budget, ListingProgress progress);
}
