package dev.roomgate.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.roomgate.schema.Media;
import dev.roomgate.schema.MediaState;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;
import dev.roomgate.schema.Source;

import static org.assertj.core.api.Assertions.assertThat;

/** The diff of consecutive room documents, as a pure function on pairs of them (contract 2.3). */
class RoomDiffTests {

    private static final String P = "plugnmeet-eu";

    private static final String V = "videosdk-main";

    private static final Media TALKING = new Media(MediaState.ON, MediaState.ON, MediaState.OFF);

    private static Participant person(String id, String session, Media media) {
        return new Participant(id, "Name " + id, session, "active", Instant.EPOCH, null, media, null, Map.of());
    }

    private static Room room(String provider, Integer count, Boolean recording, Participant... people) {
        return new Room(provider, provider.equals(P) ? ProviderType.PLUGNMEET : ProviderType.VIDEOSDK, "room01", "s1",
                "Stand-up", true, recording, null, Instant.EPOCH, count, null, "owner", null,
                people.length == 0 && count == null ? null : List.of(people), true, Map.of());
    }

    private static ProviderResult result(String provider, ProviderStatus status) {
        ProviderError error = status.isAuthoritative() ? null : new ProviderError("UPSTREAM_TIMEOUT", "slow", null,
                null);
        return new ProviderResult(provider, provider.equals(P) ? ProviderType.PLUGNMEET : ProviderType.VIDEOSDK,
                status, 10, 0, Source.UPSTREAM, null, error);
    }

    /** A document with these rooms; every instance without one answers {@code missing}. */
    private static RoomDocument document(ProviderStatus missing, Room... rooms) {
        List<ProviderResult> results = new ArrayList<>();
        for (String provider : List.of(P, V)) {
            boolean reported = List.of(rooms).stream().anyMatch(room -> room.provider().equals(provider));
            results.add(result(provider, reported ? ProviderStatus.OK : missing));
        }
        return new RoomDocument("room01", true, Instant.EPOCH, List.of(rooms), results);
    }

    private static List<WatchEventType> types(RoomDiff.Step step) {
        return step.changes().stream().map(Change::type).toList();
    }

    @Test
    void theSameDocumentAgainChangesNothing() {
        RoomDocument doc = document(ProviderStatus.NOT_FOUND, room(P, 1, false, person("a", "c1", TALKING)));
        RoomDiff.Step step = RoomDiff.next(RoomDiff.Known.of(doc), doc);
        assertThat(step.changes()).isEmpty();
    }

    @Test
    void joinsAndLeavesAreToldPerConnection() {
        Participant alice = person("alice", "c1", TALKING);
        Participant bob = person("bob", "c2", TALKING);
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND, room(P, 1, false, alice)));

        RoomDiff.Step step = RoomDiff.next(known, document(ProviderStatus.NOT_FOUND, room(P, 1, false, bob)));

        assertThat(types(step)).containsExactly(WatchEventType.PARTICIPANT_LEFT, WatchEventType.PARTICIPANT_JOINED);
        assertThat(((Change.ParticipantData) step.changes().get(0).data()).participant()).isEqualTo(alice);
        assertThat(((Change.ParticipantData) step.changes().get(1).data()).participant()).isEqualTo(bob);
        assertThat(((Change.ParticipantData) step.changes().get(1).data()).provider()).isEqualTo(P);

        // The same user on a new connection left and joined again.
        RoomDiff.Step reconnected = RoomDiff.next(step.known(),
                document(ProviderStatus.NOT_FOUND, room(P, 1, false, person("bob", "c3", TALKING))));
        assertThat(types(reconnected)).containsExactly(WatchEventType.PARTICIPANT_LEFT,
                WatchEventType.PARTICIPANT_JOINED);
    }

    @Test
    void aMediaChangeIsAnUpdateOfThatParticipant() {
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND,
                room(P, 2, false, person("a", "c1", TALKING), person("b", "c2", TALKING))));
        Media sharing = new Media(MediaState.ON, MediaState.MUTED, MediaState.ON);

        RoomDiff.Step step = RoomDiff.next(known, document(ProviderStatus.NOT_FOUND,
                room(P, 2, false, person("a", "c1", TALKING), person("b", "c2", sharing))));

        assertThat(types(step)).containsExactly(WatchEventType.PARTICIPANT_UPDATED);
        Change.ParticipantData data = (Change.ParticipantData) step.changes().get(0).data();
        assertThat(data.participant().id()).isEqualTo("b");
        assertThat(data.participant().media()).isEqualTo(sharing);
    }

    @Test
    void changedRoomFieldsAreOneRoomEventWithoutItsParticipants() {
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND,
                room(P, 1, false, person("a", "c1", TALKING))));

        RoomDiff.Step step = RoomDiff.next(known, document(ProviderStatus.NOT_FOUND,
                room(P, 1, true, person("a", "c1", TALKING))));

        assertThat(types(step)).containsExactly(WatchEventType.ROOM);
        Change.RoomData data = (Change.RoomData) step.changes().get(0).data();
        assertThat(data.provider()).isEqualTo(P);
        assertThat(data.room().recording()).isTrue();
    }

    @Test
    void aRoomStartingAtAnInstanceIsTheRoomThenEveryoneInIt() {
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND, room(P, 1, false,
                person("a", "c1", TALKING))));

        RoomDiff.Step step = RoomDiff.next(known, document(ProviderStatus.NOT_FOUND,
                room(P, 1, false, person("a", "c1", TALKING)),
                room(V, 2, null, person("x", "v1", null), person("y", "v2", null))));

        assertThat(types(step)).containsExactly(WatchEventType.PROVIDERS, WatchEventType.ROOM,
                WatchEventType.PARTICIPANT_JOINED, WatchEventType.PARTICIPANT_JOINED);
        assertThat(((Change.ProvidersData) step.changes().get(0).data()).providers())
            .extracting(ProviderResult::status).containsExactly(ProviderStatus.OK, ProviderStatus.OK);
    }

    @Test
    void onlyAnAuthoritativeNotFoundEndsTheRoomThere() {
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND,
                room(P, 1, false, person("a", "c1", TALKING)), room(V, 1, null, person("x", "v1", null))));

        RoomDiff.Step step = RoomDiff.next(known, document(ProviderStatus.NOT_FOUND,
                room(P, 1, false, person("a", "c1", TALKING))));

        assertThat(types(step)).containsExactly(WatchEventType.PROVIDERS, WatchEventType.ROOM_ENDED);
        assertThat(((Change.EndedData) step.changes().get(1).data()).provider()).isEqualTo(V);
        assertThat(step.known().rooms()).containsOnlyKeys(P);
    }

    @Test
    void aProviderFailingAndRecoveringTellsItsStatusesAndOnlyWhatReallyChanged() {
        Participant x = person("x", "v1", null);
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND,
                room(P, 1, false, person("a", "c1", TALKING)), room(V, 1, null, x)));

        // VideoSDK times out: its room is not ended, and nobody left.
        RoomDiff.Step failing = RoomDiff.next(known, document(ProviderStatus.TIMEOUT,
                room(P, 1, false, person("a", "c1", TALKING))));
        assertThat(types(failing)).containsExactly(WatchEventType.PROVIDERS);
        assertThat(((Change.ProvidersData) failing.changes().get(0).data()).providers())
            .extracting(ProviderResult::status).containsExactly(ProviderStatus.OK, ProviderStatus.TIMEOUT);
        assertThat(failing.known().rooms()).containsKeys(P, V);

        // It recovers with one more person: the statuses, then that person alone.
        RoomDiff.Step recovered = RoomDiff.next(failing.known(), document(ProviderStatus.NOT_FOUND,
                room(P, 1, false, person("a", "c1", TALKING)), room(V, 2, null, x, person("y", "v2", null))));
        assertThat(types(recovered)).containsExactly(WatchEventType.PROVIDERS, WatchEventType.ROOM,
                WatchEventType.PARTICIPANT_JOINED);
        assertThat(((Change.ParticipantData) recovered.changes().get(2).data()).participant().id()).isEqualTo("y");
    }

    @Test
    void withoutParticipantListsNoParticipantEventIsMade() {
        Room counted = new Room(P, ProviderType.PLUGNMEET, "room01", "s1", "Stand-up", true, false, null,
                Instant.EPOCH, 3, null, null, null, null, null, Map.of());
        Room more = new Room(P, ProviderType.PLUGNMEET, "room01", "s1", "Stand-up", true, false, null,
                Instant.EPOCH, 4, null, null, null, null, null, Map.of());
        RoomDiff.Known known = RoomDiff.Known.of(document(ProviderStatus.NOT_FOUND, counted));

        RoomDiff.Step step = RoomDiff.next(known, document(ProviderStatus.NOT_FOUND, more));

        assertThat(types(step)).containsExactly(WatchEventType.ROOM);
    }
}
