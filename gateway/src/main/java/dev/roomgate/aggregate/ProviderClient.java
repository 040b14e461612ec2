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
}
