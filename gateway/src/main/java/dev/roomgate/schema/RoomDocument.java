package dev.roomgate.schema;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The answer to {@code GET /v1/rooms/{roomId}}: every selected instance's result, and the rooms that were found.
 *
 * @param complete true when every selected instance answered authoritatively ({@code ok} or {@code not_found})
 */
public record RoomDocument(String roomId, boolean complete, Instant fetchedAt, List<Room> rooms,
        List<ProviderResult> providers) {

    public RoomDocument {
        rooms = List.copyOf(rooms);
        providers = List.copyOf(providers);
    }

    /** The same answer with every participant list withheld (null); counts and statuses stay. */
    public RoomDocument withoutParticipants() {
        return new RoomDocument(roomId, complete, fetchedAt, rooms.stream().map(Room::withoutParticipants).toList(),
                providers);
    }

    /** 200 when anyone reports the room, 404 when everyone said it does not exist, else 502. */
    @JsonIgnore
    public int httpStatus() {
        if (!rooms.isEmpty()) {
            return 200;
        }
        boolean allNotFound = providers.stream().allMatch(result -> result.status() == ProviderStatus.NOT_FOUND);
        return allNotFound ? 404 : 502;
    }
}
