package dev.roomgate.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.emulator.PlugNmeetParticipant;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.support.Await;
import dev.roomgate.support.ClusterReplicas;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A watched room's one loop moves when the replica holding it dies: its lease runs out within three polls and the
 * other replica's loop, which has watchers too, takes it and reads the room itself.
 */
class ClusterWatchTakeoverTests {

    static final RedisServerProcess redis = RedisServerProcess.start();

    static final ProviderEmulators emulators = ProviderEmulators.start();

    static final String ROOM = "takeover-room";

    static ClusterReplicas replicas;

    @BeforeAll
    static void start() {
        // A linger far longer than the test: the stopped replica never gives its lease up, as a killed one would not.
        replicas = ClusterReplicas.start(2, redis, emulators, "--roomgate.watch.poll-interval=500ms",
                "--roomgate.watch.linger=10m");
    }

    @AfterAll
    static void stop() {
        replicas.close();
        emulators.close();
        redis.close();
    }

    private static PlugNmeetRoom room(String... identities) {
        long now = Instant.now().getEpochSecond();
        List<PlugNmeetParticipant> people = Arrays.stream(identities)
            .map(id -> new PlugNmeetParticipant("PA_" + id, id, id, "ACTIVE", now * 1000,
                    PlugNmeetParticipant.userMetadata(false)))
            .toList();
        return new PlugNmeetRoom(ROOM, "Takeover", "RM_takeover", true, false, false, now,
                PlugNmeetRoom.roomMetadata("Takeover", false, false, now), people);
    }

    private static Disposable watch(int replica, List<String> into) {
        return WebClient.create("http://localhost:" + replicas.port(replica)).get()
            .uri("/v1/rooms/" + ROOM + "/events?providers=" + ProviderEmulators.PLUGNMEET)
            .header("X-API-Key", ProviderEmulators.API_KEY)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve().bodyToFlux(String.class)
            .onErrorResume(gone -> reactor.core.publisher.Flux.empty())
            .subscribe(into::add);
    }

    @Test
    void whenTheHoldersReplicaDiesTheOtherTakesTheLoop() {
        emulators.plugNmeet.addRoom(room("ann"));
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        Disposable onFirst = watch(0, first);
        Await.until("the first replica's snapshot", () -> !first.isEmpty(), Await.GENEROUSLY);
        Disposable onSecond = watch(1, second);
        try {
            Await.until("the second replica's snapshot", () -> !second.isEmpty(), Await.GENEROUSLY);
            emulators.plugNmeet.addRoom(room("ann", "ben"));
            Await.until("the second replica hears of ben from the holder",
                    () -> String.join("", second).contains("\"id\":\"ben\""), Await.GENEROUSLY);
            // The first replica holds the loop: the second reads nothing itself while it lives.
            assertThat(replicas.meter(1, "roomgate.watch.reads", Map.of("trigger", "poll"))).isZero();

            // Its watcher gone first, so that shutting down waits for no open stream; its loop lingers, lease held.
            onFirst.dispose();
            replicas.stop(0);
            emulators.plugNmeet.addRoom(room("ann", "ben", "cem"));
            Await.until("the second replica takes the loop and reads the room itself",
                    () -> String.join("", second).contains("\"id\":\"cem\""), Await.GENEROUSLY);
            assertThat(replicas.meter(1, "roomgate.watch.reads", Map.of("trigger", "poll"))).isPositive();
        }
        finally {
            onFirst.dispose();
            onSecond.dispose();
            emulators.plugNmeet.removeRoom(ROOM);
        }
    }
}
