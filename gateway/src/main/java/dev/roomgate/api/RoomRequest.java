package dev.roomgate.api;

import java.util.List;

import dev.roomgate.provider.ProviderClient;
import dev.roomgate.provider.RoomQuery;

/** A validated {@code GET /v1/rooms/{roomId}}: what to ask and whom. */
record RoomRequest(RoomQuery query, List<ProviderClient> providers) {
}
