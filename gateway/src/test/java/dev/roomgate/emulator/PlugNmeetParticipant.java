package dev.roomgate.emulator;

import java.util.List;
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
 * @param tracks the tracks it publishes now
 * @param hidden LiveKit's {@code permission.hidden}: plugNmeet grants it to its recorder and RTMP bots
 */
public record PlugNmeetParticipant(String sid, String identity, String name, String state, long joinedAtMs,
        String metadataJson, List<PlugNmeetTrack> tracks, boolean hidden) {

    /** A person publishing nothing. */
    public PlugNmeetParticipant(String sid, String identity, String name, String state, long joinedAtMs,
            String metadataJson) {
        this(sid, identity, name, state, joinedAtMs, metadataJson, List.of(), false);
    }

    /**
     * plugNmeet's recording or RTMP bot: a fixed identity ({@code RECORDER_BOT}, {@code RTMP_BOT}), a token minted
     * hidden and admin, so admin user metadata too (providers.md 9.1: S1 pkg/config/constants.go,
     * pkg/models/recording_dispatch.go; S2 auth/access_token.go).
     */
    public static PlugNmeetParticipant bot(String identity, long joinedAtMs) {
        return new PlugNmeetParticipant("PA_" + identity.toLowerCase(java.util.Locale.ROOT), identity, identity,
                "ACTIVE", joinedAtMs, userMetadata(true), List.of(), true);
    }

    /** The same participant, publishing these tracks. */
    public PlugNmeetParticipant publishing(PlugNmeetTrack... published) {
        return new PlugNmeetParticipant(sid, identity, name, state, joinedAtMs, metadataJson, List.of(published),
                hidden);
    }

    private static final Set<String> STATES = Set.of("JOINING", "JOINED", "ACTIVE", "DISCONNECTED");

    public PlugNmeetParticipant {
        Objects.requireNonNull(identity, "identity");
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + STATES + ": " + state);
        }
        sid = sid == null ? "" : sid;
        name = name == null ? "" : name;
        metadataJson = metadataJson == null ? "" : metadataJson;
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
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
