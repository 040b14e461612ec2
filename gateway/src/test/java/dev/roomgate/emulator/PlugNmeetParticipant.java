package dev.roomgate.emulator;

import java.util.Objects;
import java.util.Set;

/**
 * A participant as the plugNmeet emulator reports it (a LiveKit ParticipantInfo).
 *
 * @param sid LiveKit participant sid, e.g. {@code PA_abc}
 * @param identity the user id
 * @param name display name
 * @param state {@code JOINING}, {@code JOINED}, {@code ACTIVE} or {@code DISCONNECTED}
 * @param joinedAtMs join time in unix milliseconds
 * @param metadataJson serialized UserMetadata, sent verbatim; see {@link #userMetadata(boolean)}
 */
public record PlugNmeetParticipant(String sid, String identity, String name, String state, long joinedAtMs,
        String metadataJson) {

    private static final Set<String> STATES = Set.of("JOINING", "JOINED", "ACTIVE", "DISCONNECTED");

    public PlugNmeetParticipant {
        Objects.requireNonNull(identity, "identity");
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + STATES + ": " + state);
        }
        sid = sid == null ? "" : sid;
        name = name == null ? "" : name;
        metadataJson = metadataJson == null ? "" : metadataJson;
    }

    /** A UserMetadata document as plugNmeet serializes it (protojson, every field emitted), abridged. */
    public static String userMetadata(boolean admin) {
        return "{\"profile_pic\":\"\",\"is_admin\":" + admin + ",\"record_webcam\":true,\"is_presenter\":" + admin
                + ",\"raised_hand\":false,\"wait_for_approval\":false,\"preferred_lang\":\"en-US\","
                + "\"lock_settings\":{\"lock_microphone\":false,\"lock_webcam\":false,\"lock_screen_sharing\":"
                + !admin + ",\"lock_whiteboard\":" + !admin + ",\"lock_shared_notepad\":" + !admin
                + ",\"lock_chat\":false,\"lock_chat_send_message\":false,\"lock_chat_file_share\":false,"
                + "\"lock_private_chat\":false},\"metadata_id\":\"\",\"extra_data\":\"\",\"ex_user_id\":\"\"}";
    }
}
