package dev.roomgate.schema;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One participant of a room, in the contract's normalized schema.
 *
 * @param state joining, joined, active, disconnected or unknown
 * @param role lower-case role or mode, where the provider has one
 * @param media null where the provider does not report media
 */
public record Participant(String id, String name, String sessionId, String state, Instant joinedAt,
        String role, Media media, String metadata, Map<String, Object> extensions) {

    public Participant {
        // Keeps the provider's field order, which makes answers easier to read and diff.
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }
}
