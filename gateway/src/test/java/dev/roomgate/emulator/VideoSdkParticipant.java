package dev.roomgate.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A participant of a VideoSDK session.
 *
 * @param participantId {@code participantId}
 * @param name display name
 * @param recordId the participant record's {@code _id}
 * @param mode the REST samples' {@code CONFERENCE} or {@code VIEWER}, or the SDKs' later names
 *        {@code SEND_AND_RECV}, {@code SIGNALLING_ONLY}, {@code RECV_ONLY} (providers.md 9.2)
 * @param timelogStarts when each stay began; the last one is the current stay (its {@code end} is null)
 * @param city {@code geoLocation.city}
 * @param country {@code geoLocation.country}
 * @param micOn the microphone is on since the current stay began
 * @param webcamOn the camera is on since the current stay began
 */
public record VideoSdkParticipant(String participantId, String name, String recordId, String mode,
        List<Instant> timelogStarts, String city, String country, boolean micOn, boolean webcamOn) {

    /** Someone who sends nothing. */
    public VideoSdkParticipant(String participantId, String name, String recordId, String mode,
            List<Instant> timelogStarts, String city, String country) {
        this(participantId, name, recordId, mode, timelogStarts, city, country, false, false);
    }

    public VideoSdkParticipant {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(mode, "mode");
        timelogStarts = List.copyOf(timelogStarts);
        if (timelogStarts.isEmpty()) {
            throw new IllegalArgumentException("a participant needs at least one timelog start");
        }
        name = name == null ? "" : name;
        city = city == null ? "" : city;
        country = country == null ? "" : country;
    }
}
