package dev.roomgate.emulator;

import java.util.List;
import java.util.Objects;

/**
 * A live room as the Tencent emulator holds it. get_room_info sends all of it; a get_room_list item only
 * {@code RoomName}, {@code RoomId}, {@code Owner_Account}, {@code CoverURL}, {@code Category}, {@code CreateTime},
 * {@code ActivityStatus} and {@code ViewCount} (providers.md 2.3, 6.2).
 *
 * @param roomId {@code RoomId}
 * @param roomName {@code RoomName}
 * @param ownerAccount {@code Owner_Account}; sent as a bare JSON number when it is all digits, as Tencent does
 * @param createTimeSeconds {@code CreateTime}, unix seconds
 * @param maxMemberCount {@code MaxMemberCount}
 * @param takeSeatModeAsInt send {@code TakeSeatMode} as {@code 2} (2024 docs) instead of {@code "ApplyToTake"}
 * @param members the member accounts, listed by get_member_list in this order
 * @param coverUrl {@code CoverURL}
 * @param category {@code Category}, at most 3 (providers.md 2.3)
 * @param activityStatus {@code ActivityStatus}, user-defined (not a liveness flag)
 * @param viewCount {@code ViewCount}, "Total number of times the user has entered the room"; get_room_list sorts by
 * it, descending (providers.md 6.2)
 */
public record TencentRoom(String roomId, String roomName, String ownerAccount, long createTimeSeconds,
        int maxMemberCount, boolean takeSeatModeAsInt, List<String> members, String coverUrl, List<Integer> category,
        int activityStatus, int viewCount) {

    /** "Category: Array, max 3" (providers.md 2.3). */
    static final int MAX_CATEGORIES = 3;

    public TencentRoom {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(ownerAccount, "ownerAccount");
        roomName = roomName == null ? "" : roomName;
        members = members == null ? List.of() : List.copyOf(members);
        coverUrl = coverUrl == null ? "" : coverUrl;
        category = category == null ? List.of() : List.copyOf(category);
        if (category.size() > MAX_CATEGORIES) {
            throw new IllegalArgumentException("a room has at most 3 categories: " + category);
        }
        if (viewCount < 0) {
            throw new IllegalArgumentException("viewCount must not be negative: " + viewCount);
        }
    }

    /**
     * A room with no cover and no category, {@code ActivityStatus} 1 and as many views as it has members: what
     * get_room_info has always sent for it.
     */
    public TencentRoom(String roomId, String roomName, String ownerAccount, long createTimeSeconds,
            int maxMemberCount, boolean takeSeatModeAsInt, List<String> members) {
        this(roomId, roomName, ownerAccount, createTimeSeconds, maxMemberCount, takeSeatModeAsInt, members, "",
                List.of(), 1, members == null ? 0 : members.size());
    }

    public TencentRoom withViewCount(int count) {
        return new TencentRoom(roomId, roomName, ownerAccount, createTimeSeconds, maxMemberCount, takeSeatModeAsInt,
                members, coverUrl, category, activityStatus, count);
    }

    public TencentRoom withCover(String url) {
        return new TencentRoom(roomId, roomName, ownerAccount, createTimeSeconds, maxMemberCount, takeSeatModeAsInt,
                members, url, category, activityStatus, viewCount);
    }

    public TencentRoom withCategory(List<Integer> categories) {
        return new TencentRoom(roomId, roomName, ownerAccount, createTimeSeconds, maxMemberCount, takeSeatModeAsInt,
                members, coverUrl, categories, activityStatus, viewCount);
    }

    public TencentRoom withActivityStatus(int status) {
        return new TencentRoom(roomId, roomName, ownerAccount, createTimeSeconds, maxMemberCount, takeSeatModeAsInt,
                members, coverUrl, category, status, viewCount);
    }
}
