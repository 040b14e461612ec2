package dev.roomgate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetParticipant;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.support.Await;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/rooms/{roomId}/events} over real HTTP against the plugNmeet emulator (contract 2.3). */
class WatchEndToEndTests extends CacheOffIntegrationTest {

    private static final String ROOM = "watched-room";

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    private MeterRegistry meters;

    private static PlugNmeetRoom room(String... identities) {
        long now = Instant.now().getEpochSecond();
        List<PlugNmeetParticipant> people = new ArrayList<>();
        for (String identity : identities) {
            people.add(new PlugNmeetParticipant("PA_" + identity, identity, "Name " + identity, "ACTIVE",
                    now * 1000, PlugNmeetParticipant.userMetadata(false)));
        }
        return new PlugNmeetRoom(ROOM, "Watched", "RM_watched", true, false, false, now,
                PlugNmeetRoom.roomMetadata("Watched", false, false, now), people);
    }

    private Disposable watch(String key, List<ServerSentEvent<Map<String, Object>>> into) {
        return WebClient.create("http://localhost:" + port).get()
            .uri("/v1/rooms/" + ROOM + "/events?providers=" + ProviderEmulators.PLUGNMEET)
            .header("X-API-Key", key)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve()
            .bodyToFlux(EVENTS)
            .subscribe(into::add);
    }

    private double counted(String meter) {
        return meters.get(meter).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static boolean has(List<ServerSentEvent<Map<String, Object>>> events, String type) {
        return events.stream().anyMatch(event -> type.equals(event.event()));
    }

    @Test
    void aHundredWatchersOfOneRoomCostOneLoopAndAllSeeAJoin() {
        emulators.plugNmeet.addRoom(room("alice"));
        List<List<ServerSentEvent<Map<String, Object>>>> streams = new ArrayList<>();
        List<Disposable> watching = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
                streams.add(events);
                watching.add(watch(ProviderEmulators.API_KEY, events));
            }
            Await.until("every watcher's snapshot", () -> streams.stream().allMatch(events -> has(events, "snapshot")),
                    Await.GENEROUSLY);
            double readsBefore = counted("roomgate.watch.reads");
            int callsBefore = emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO);

            emulators.plugNmeet.addRoom(room("alice", "bob"));
            Await.until("every watcher sees bob join",
                    () -> streams.stream().allMatch(events -> has(events, "participant-joined")), Await.GENEROUSLY);

            double reads = counted("roomgate.watch.reads") - readsBefore;
            int calls = emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO) - callsBefore;
            // One loop read the room for all hundred: each of its reads is one call, whoever watches.
            assertThat(calls).isBetween((int) reads - 1, (int) reads + 1);
            assertThat(meters.get("roomgate.watch.loops").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("roomgate.watch.streams").gauge().value()).isEqualTo(100.0);
            ServerSentEvent<Map<String, Object>> joined = streams.get(0).stream()
                .filter(event -> "participant-joined".equals(event.event())).findFirst().orElseThrow();
            assertThat(joined.data()).containsEntry("provider", ProviderEmulators.PLUGNMEET);
            assertThat(joined.data().get("participant").toString()).contains("id=bob");
            assertThat(Long.parseLong(joined.id())).isGreaterThan(Long.parseLong(streams.get(0).get(0).id()));
        }
        finally {
            watching.forEach(Disposable::dispose);
            emulators.plugNmeet.removeRoom(ROOM);
        }
        Await.until("the loop stops with its last watcher",
                () -> meters.get("roomgate.watch.loops").gauge().value() == 0.0, Await.GENEROUSLY);
    }

    @Test
    void aCallerWhoMayNotSeeParticipantsWatchesCountsOnly() {
        emulators.plugNmeet.addRoom(room("alice"));
        List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
        Disposable watching = watch(VIEWER_KEY, events);
        try {
            Await.until("the snapshot", () -> has(events, "snapshot"), Await.GENEROUSLY);
            emulators.plugNmeet.addRoom(room("alice", "bob"));
            Await.until("the count changes", () -> has(events, "room"), Await.GENEROUSLY);
            assertThat(events.get(0).data().toString()).doesNotContain("alice");
            assertThat(has(events, "participant-joined")).isFalse();
            assertThat(events.stream().filter(event -> "room".equals(event.event())).findFirst().orElseThrow().data()
                .toString()).contains("participantCount=2").contains("ownerId=null");
        }
        finally {
            watching.dispose();
            emulators.plugNmeet.removeRoom(ROOM);
        }
    }

    @Test
    void badRequestsAreProblemsThatReachNoUpstream() {
        client.get().uri("/v1/rooms/" + ROOM + "/events?unknown=1").accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/v1/rooms/" + ROOM + "/events").accept(MediaType.APPLICATION_JSON).exchange()
            .expectStatus().isEqualTo(406);
        client.get().uri("/v1/rooms/bad%20id/events").accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isBadRequest();
        anonymous().get().uri("/v1/rooms/" + ROOM + "/events").accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isUnauthorized();
        client.get().uri("/v1/rooms/" + ROOM + "/events").header("X-API-Key", PARTICIPANTS_ONLY_KEY)
            .accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isForbidden();
        assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isZero();
    }
}
