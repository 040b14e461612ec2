package dev.roomgate.emulator;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A live VideoSDK session (a meeting of one room) as the emulator holds it.
 *
 * @param sessionId 24 lower-case hex digits, like a MongoDB ObjectId
 * @param roomId the room this session belongs to
 * @param start when the session began
 * @param region the media region, e.g. {@code in002}
 * @param participants the participants active now
 */
public record VideoSdkSession(String sessionId, String roomId, Instant start, String region,
        List<VideoSdkParticipant> participants) {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");

    public VideoSdkSession {
        if (sessionId == null || !ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("sessionId must be 24 lower-case hex digits: " + sessionId);
        }
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(start, "start");
        region = region == null ? "" : region;
        participants = participants == null ? List.of() : List.copyOf(participants);
    }

    /** A fresh random id of the right shape. */
    public static String newSessionId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
