package dev.roomgate.provider.plugnmeet;

import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import dev.roomgate.schema.Media;
import dev.roomgate.schema.MediaState;

import static dev.roomgate.provider.WireJson.invalid;
import static dev.roomgate.provider.WireJson.isAbsent;

/**
 * A participant's media from LiveKit's {@code TrackInfo} list (providers.md 9.1): a published track is on unless
 * muted; an unpublished one is absent from the list, so off. Enums arrive by name in API replies and by number
 * where a marshaller writes numbers; a missing {@code muted} is false and a missing {@code source} is UNKNOWN.
 */
final class PlugNmeetTracks {

    private static final List<String> TYPES = List.of("AUDIO", "VIDEO", "DATA");

    private static final List<String> SOURCES = List.of("UNKNOWN", "CAMERA", "MICROPHONE", "SCREEN_SHARE",
            "SCREEN_SHARE_AUDIO");

    private PlugNmeetTracks() {
    }

    /** Null when the answer has no track list at all: then plugNmeet said nothing about media. */
    static Media media(JsonNode tracks) {
        if (isAbsent(tracks)) {
            return null;
        }
        if (!tracks.isArray()) {
            throw invalid("plugNmeet participant tracks is not an array");
        }
        MediaState camera = MediaState.OFF;
        MediaState microphone = MediaState.OFF;
        MediaState screenShare = MediaState.OFF;
        for (JsonNode track : tracks.values()) {
            String source = name(track.get("source"), SOURCES);
            MediaState state = track.path("muted").asBoolean(false) ? MediaState.MUTED : MediaState.ON;
            switch (source) {
                case "CAMERA" -> {
                    if ("VIDEO".equals(name(track.get("type"), TYPES))) {
                        camera = louder(camera, state);
                    }
                }
                case "MICROPHONE" -> microphone = louder(microphone, state);
                case "SCREEN_SHARE" -> screenShare = louder(screenShare, state);
                default -> {
                }
            }
        }
        return new Media(camera, microphone, screenShare);
    }

    /** With two tracks of one source (a second camera), the participant is on if either is. */
    private static MediaState louder(MediaState before, MediaState track) {
        return before == MediaState.ON || track == MediaState.ON ? MediaState.ON : track;
    }

    private static String name(JsonNode value, List<String> byNumber) {
        if (isAbsent(value)) {
            return byNumber.get(0);
        }
        if (value.isIntegralNumber()) {
            int ordinal = value.asInt();
            return ordinal >= 0 && ordinal < byNumber.size() ? byNumber.get(ordinal) : "";
        }
        return value.asString().toUpperCase(Locale.ROOT);
    }
}
