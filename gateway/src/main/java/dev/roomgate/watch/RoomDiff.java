package dev.roomgate.watch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;

/**
 * What changed from one room document to the next, as the events of a watch stream (contract 2.3). A pure
 * function of what was known and the new document.
 *
 * <p>What was known is each instance's last room, not just the last document: an instance that fails for a while
 * keeps the room it last reported, so that when it recovers only what really changed is told (its participants
 * did not all leave and join again). Only an authoritative "not found" ends a room.
 */
public final class RoomDiff {

    /**
     * What a stream's watchers have been told so far.
     *
     * @param rooms each instance's last reported room, by instance, in the document's order
     * @param statuses each selected instance's last status
     */
    public record Known(Map<String, Room> rooms, Map<String, ProviderStatus> statuses) {

        public static final Known NOTHING = new Known(Map.of(), Map.of());

        public Known {
            rooms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rooms));
            statuses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
        }

        /** What a snapshot of the document tells. */
        public static Known of(RoomDocument document) {
            return next(NOTHING, document).known();
        }
    }

    /** The changes, and what is known after them. */
    public record Step(Known known, List<Change> changes) {
    }

    private RoomDiff() {
    }

    public static Step next(Known before, RoomDocument after) {
        Map<String, Room> reported = new LinkedHashMap<>();
        after.rooms().forEach(room -> reported.putIfAbsent(room.provider(), room));
        Map<String, Room> known = new LinkedHashMap<>();
        Map<String, ProviderStatus> statuses = new LinkedHashMap<>();
        List<Change> roomChanges = new ArrayList<>();
        for (ProviderResult result : after.providers()) {
            String provider = result.provider();
            statuses.put(provider, result.status());
            Room was = before.rooms().get(provider);
            Room now = reported.get(provider);
            if (now != null) {
                known.put(provider, now);
                roomChanges.addAll(changes(provider, was, now));
            }
            else if (result.status() == ProviderStatus.NOT_FOUND) {
                if (was != null) {
                    roomChanges.add(Change.ended(provider));
                }
            }
            else if (was != null) {
                // Failing: nothing is known to have changed there.
                known.put(provider, was);
            }
        }
        List<Change> changes = new ArrayList<>();
        if (!statuses.equals(before.statuses())) {
            changes.add(Change.providers(after.providers()));
        }
        changes.addAll(roomChanges);
        return new Step(new Known(known, statuses), List.copyOf(changes));
    }

    private static List<Change> changes(String provider, Room was, Room now) {
        List<Change> changes = new ArrayList<>();
        if (was == null || !bare(was).equals(bare(now))) {
            changes.add(Change.room(provider, now));
        }
        List<Participant> before = was == null ? List.of() : was.participants();
        // No list (participants not asked for) tells nothing about who is there.
        if (before != null && now.participants() != null) {
            changes.addAll(participantChanges(provider, byConnection(before), byConnection(now.participants())));
        }
        return changes;
    }

    private static List<Change> participantChanges(String provider, Map<String, Participant> before,
            Map<String, Participant> after) {
        List<Change> changes = new ArrayList<>();
        before.forEach((key, participant) -> {
            if (!after.containsKey(key)) {
                changes.add(Change.participant(WatchEventType.PARTICIPANT_LEFT, provider, participant));
            }
        });
        after.forEach((key, participant) -> {
            Participant was = before.get(key);
            if (was == null) {
                changes.add(Change.participant(WatchEventType.PARTICIPANT_JOINED, provider, participant));
            }
            else if (!was.equals(participant)) {
                changes.add(Change.participant(WatchEventType.PARTICIPANT_UPDATED, provider, participant));
            }
        });
        return changes;
    }

    /** One entry per connection: the same user on a new connection has left and joined again. */
    private static Map<String, Participant> byConnection(List<Participant> participants) {
        Map<String, Participant> keyed = new LinkedHashMap<>();
        for (Participant participant : participants) {
            keyed.putIfAbsent(participant.id() + '\u0000' + Objects.toString(participant.sessionId(), ""), participant);
        }
        return keyed;
    }

    /** The room's own fields, without its participant list. */
    private static Room bare(Room room) {
        return new Room(room.provider(), room.providerType(), room.roomId(), room.sessionId(), room.title(),
                room.active(), room.recording(), room.streaming(), room.createdAt(), room.participantCount(),
                room.maxParticipants(), room.ownerId(), room.metadata(), null, null, room.extensions());
    }
}
