package dev.roomgate.api;

import java.util.List;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;

/** A validated {@code GET /v1/rooms/{roomId}}: what to ask and whom. */
record RoomRequest(RoomQuery query, List<ProviderClient> providers) {
}
