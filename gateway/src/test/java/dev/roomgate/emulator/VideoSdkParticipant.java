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
 * @param mode {@code CONFERENCE} or {@code VIEWER}
 * @param timelogStarts when each stay began; the last one is the current stay (its {@code end} is null)
 * @param city {@code geoLocation.city}
 * @param country {@code geoLocation.country}
 */
public record VideoSdkParticipant(String participantId, String name, String recordId, String mode,
        List<Instant> timelogStarts, String city, String country) {

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
