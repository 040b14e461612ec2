package dev.roomgate.webhook;

import java.util.Map;
import java.util.Set;

import dev.roomgate.schema.ProviderType;

/**
 * The event names each provider documents or is seen to send (providers.md 7), as data: the values the {@code type}
 * tag of {@code roomgate.webhooks} may take, so that a sender cannot grow the metric without bound. Anything else is
 * counted as {@code other}; refusals, whose body is not trusted, as {@code unknown}.
 */
final class WebhookEventTypes {

    static final String OTHER = "other";

    static final String UNKNOWN = "unknown";

    private static final Map<ProviderType, Set<String>> KNOWN = Map.of(
            // providers.md 7.1, "Events actually sent", the undocumented ones too.
            ProviderType.PLUGNMEET, Set.of("room_created", "room_started", "room_finished", "participant_joined",
                    "participant_left", "track_published", "track_unpublished", "session_ended", "start_recording",
                    "end_recording", "start_rtmp", "end_rtmp", "recording_proceeded",
                    "recording_transcoding_finished", "analytics_proceeded", "artifact_created"),
            // providers.md 7.2, "Webhooks List" plus the SDK's agent-session types.
            ProviderType.VIDEOSDK, Set.of("participant-joined", "participant-left", "session-started",
                    "session-ended", "recording-starting", "recording-started", "recording-stopping",
                    "recording-stopped", "recording-failed", "livestream-starting", "livestream-started",
                    "livestream-stopping", "livestream-stopped", "livestream-failed", "hls-starting", "hls-started",
                    "hls-playable", "hls-stopping", "hls-stopped", "hls-failed", "agent-session-starting",
                    "agent-session-started", "agent-session-stopping", "agent-session-stopped",
                    "agent-session-failed"),
            // providers.md 7.3; both spellings of the member-state command, and the expected (UNCONFIRMED) names of
            // the update and seat callbacks.
            ProviderType.TENCENT, Set.of("Live.CallbackAfterCreateRoom", "Live.CallbackAfterDestroyRoom",
                    "Live.CallbackMemberStateChanged", "Live.CallbackAfterMemberStateChanged",
                    "Live.CallbackAfterSetMetadata", "Live.CallbackAfterDelMetadata",
                    "Live.CallbackAfterUpdateRoomInfo", "Live.CallbackAfterSeatListChanged"));

    private WebhookEventTypes() {
    }

    /** {@code type} when the provider is known to send it, else {@link #OTHER}. */
    static String tagOf(ProviderType provider, String type) {
        return KNOWN.getOrDefault(provider, Set.of()).contains(type) ? type : OTHER;
    }
}
