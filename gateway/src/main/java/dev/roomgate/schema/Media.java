package dev.roomgate.schema;

/** What a participant is sending now, where the provider reports it. */
public record Media(MediaState camera, MediaState microphone, MediaState screenShare) {

    public Media {
        java.util.Objects.requireNonNull(camera, "camera");
        java.util.Objects.requireNonNull(microphone, "microphone");
        java.util.Objects.requireNonNull(screenShare, "screenShare");
    }
}
