package dev.roomgate.emulator;

import java.util.List;
import java.util.Objects;

/**
 * A room as the plugNmeet emulator holds it.
 *
 * @param roomId the room id clients ask for
 * @param title {@code room_title}
 * @param sid LiveKit room sid, e.g. {@code RM_abc}
 * @param running whether the room is active; an inactive room answers {@code ROOM_NOT_ACTIVE}
 * @param recording {@code is_recording}
 * @param rtmp {@code is_active_rtmp}
 * @param creationTimeSeconds {@code creation_time}, unix seconds
 * @param metadataJson serialized RoomMetadata, sent verbatim; see {@link #roomMetadata}
 * @param participants the participants; {@code joined_participants} is their number
 */
public record PlugNmeetRoom(String roomId, String title, String sid, boolean running, boolean recording,
        boolean rtmp, long creationTimeSeconds, String metadataJson, List<PlugNmeetParticipant> participants) {

    public PlugNmeetRoom {
        Objects.requireNonNull(roomId, "roomId");
        title = title == null ? "" : title;
        sid = sid == null ? "" : sid;
        metadataJson = metadataJson == null ? "" : metadataJson;
        participants = participants == null ? List.of() : List.copyOf(participants);
    }

    /** A RoomMetadata document as plugNmeet serializes it (protojson, every field emitted), abridged. */
    public static String roomMetadata(String title, boolean recording, boolean rtmp, long startedAtSeconds) {
        return "{\"room_title\":" + Json.quote(title) + ",\"welcome_message\":\"\",\"is_recording\":"
                + recording + ",\"is_active_rtmp\":" + rtmp + ",\"parent_room_id\":\"\",\"is_breakout_room\":false,"
                + "\"webhook_url\":\"\",\"started_at\":\"" + startedAtSeconds + "\",\"logout_url\":\"\","
                + "\"room_features\":{\"allow_webcams\":true,\"mute_on_start\":false,\"allow_screen_share\":true,"
                + "\"allow_rtmp\":true,\"allow_view_other_webcams\":true,\"allow_view_other_users_list\":true,"
                + "\"admin_only_webcams\":false,\"enable_analytics\":false,\"allow_virtual_bg\":true,"
                + "\"allow_raise_hand\":true},\"extra_data\":\"\"}";
    }
}
