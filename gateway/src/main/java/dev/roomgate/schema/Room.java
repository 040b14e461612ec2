package dev.roomgate.schema;

import java.time.Instant;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One provider instance's view of a room, in the contract's normalized schema.
 *
 * @param participants null only when participants were not asked for
 * @param participantsComplete false when {@code participants} lists fewer people than the provider counts there;
 *        null when {@code participants} is null
 * @param extensions provider-specific fields under the provider's own names
 */
public record Room(String provider, ProviderType providerType, String roomId, String sessionId, String title,
        boolean active, Boolean recording, Boolean streaming, Instant createdAt, Integer participantCount,
        Integer maxParticipants, String ownerId, String metadata, List<Participant> participants,
        Boolean participantsComplete, Map<String, Object> extensions) {

    public Room {
        participants = participants == null ? null : List.copyOf(participants);
        participantsComplete = participants == null ? null : participantsComplete;
        // Keeps the provider's field order, which makes answers easier to read and diff.
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * The {@code participantsComplete} of a list beside the provider's own count of the people in the room: null
     * without a list, complete when the provider gives no count to hold it to.
     */
    public static Boolean listsAll(List<Participant> participants, Integer counted) {
        return participants == null ? null : counted == null || participants.size() >= counted;
    }

    /** Without anything personal: no participant list, and no owner (a user id is personal data too). */
    public Room withoutParticipants() {
        return new Room(provider, providerType, roomId, sessionId, title, active, recording, streaming, createdAt,
                participantCount, maxParticipants, null, metadata, null, null, extensions);
    }
}
