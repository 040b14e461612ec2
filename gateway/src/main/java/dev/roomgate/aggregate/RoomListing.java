package dev.roomgate.aggregate;

import java.util.List;

import dev.roomgate.schema.Room;

/**
 * One read of an instance's room listing.
 *
 * @param rooms every room listed, each once, without a participant list
 * @param wholeRooms the same rooms as the per-room lookup answers them, participants included, when the listing
 *        carries whole rooms (plugNmeet's does); null when it does not
 * @param everyLiveRoom whether a room missing from the listing is known not to be live: false where the provider
 *        does not say which rooms it lists
 */
public record RoomListing(List<Room> rooms, List<Room> wholeRooms, boolean everyLiveRoom) {

    public RoomListing {
        rooms = List.copyOf(rooms);
        wholeRooms = wholeRooms == null ? null : List.copyOf(wholeRooms);
    }
}
