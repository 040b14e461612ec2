package dev.roomgate.schema;

import java.util.Objects;

/** What a participant is sending now, where the provider reports it. */
public record Media(MediaState camera, MediaState microphone, MediaState screenShare) {

    public Media {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(microphone, "microphone");
        Objects.requireNonNull(screenShare, "screenShare");
    }
}
