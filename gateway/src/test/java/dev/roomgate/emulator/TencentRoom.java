package dev.roomgate.emulator;

import java.util.List;
import java.util.Objects;

/**
 * A live room as the Tencent emulator holds it.
 *
 * @param roomId {@code RoomId}
 * @param roomName {@code RoomName}
 * @param ownerAccount {@code Owner_Account}; sent as a bare JSON number when it is all digits, as Tencent does
 * @param createTimeSeconds {@code CreateTime}, unix seconds
 * @param maxMemberCount {@code MaxMemberCount}
 * @param takeSeatModeAsInt send {@code TakeSeatMode} as {@code 2} (2024 docs) instead of {@code "ApplyToTake"}
 * @param members the member accounts, listed by get_member_list in this order
 */
public record TencentRoom(String roomId, String roomName, String ownerAccount, long createTimeSeconds,
        int maxMemberCount, boolean takeSeatModeAsInt, List<String> members) {

    public TencentRoom {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(ownerAccount, "ownerAccount");
        roomName = roomName == null ? "" : roomName;
        members = members == null ? List.of() : List.copyOf(members);
    }
}
