package dev.roomgate.emulator;

import java.util.Objects;
import java.util.Set;

/**
 * A published track as LiveKit lists it in {@code ParticipantInfo.tracks} ({@code TrackInfo}, providers.md 9.1).
 *
 * @param sid track sid, e.g. {@code TR_abc}
 * @param type {@code AUDIO}, {@code VIDEO} or {@code DATA}
 * @param source {@code UNKNOWN}, {@code CAMERA}, {@code MICROPHONE}, {@code SCREEN_SHARE} or
 *        {@code SCREEN_SHARE_AUDIO}
 * @param muted the publisher muted it (an unpublished track is absent, never muted)
 */
public record PlugNmeetTrack(String sid, String type, String source, boolean muted) {

    private static final Set<String> TYPES = Set.of("AUDIO", "VIDEO", "DATA");

    private static final Set<String> SOURCES = Set.of("UNKNOWN", "CAMERA", "MICROPHONE", "SCREEN_SHARE",
            "SCREEN_SHARE_AUDIO");

    public PlugNmeetTrack {
        Objects.requireNonNull(sid, "sid");
        if (!TYPES.contains(type) || !SOURCES.contains(source)) {
            throw new IllegalArgumentException("type " + type + " or source " + source + " is not LiveKit's");
        }
    }

    public static PlugNmeetTrack camera(boolean muted) {
        return new PlugNmeetTrack("TR_cam", "VIDEO", "CAMERA", muted);
    }

    public static PlugNmeetTrack microphone(boolean muted) {
        return new PlugNmeetTrack("TR_mic", "AUDIO", "MICROPHONE", muted);
    }

    public static PlugNmeetTrack screenShare() {
        return new PlugNmeetTrack("TR_screen", "VIDEO", "SCREEN_SHARE", false);
    }
}
