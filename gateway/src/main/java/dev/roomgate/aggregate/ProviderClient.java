package dev.roomgate.aggregate;

import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;

/** Fetches one room from one provider instance and maps it into the normalized schema. */
public interface ProviderClient {

    ProviderInstance instance();

    /**
     * @return the room, or {@link RoomLookup.NotFound} when the provider says authoritatively that it is not live;
     *         fails with {@link ProviderException} for everything else
     */
    Mono<RoomLookup> fetchRoom(RoomQuery query, CallContext context);
}
