package dev.roomgate.api;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetParticipant;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With the answer cache on (contract 2.1): a listing that carries whole rooms is their answer too. */
class FleetCacheEndToEndTests extends RoomgateIntegrationTest {

    private static final String ROOM = "fleet-cached-room";

    @Test
    void aPlugNmeetListingAnswersItsRoomsAndARoomItNoLongerHasIsAskedAgain() {
        long now = Instant.now().getEpochSecond();
        try {
            emulators.plugNmeet.addRoom(new PlugNmeetRoom(ROOM, "Listed", "RM_listed", true, false, false, now,
                    PlugNmeetRoom.roomMetadata("Listed", false, false, now),
                    List.of(new PlugNmeetParticipant("PA_l1", "lee", "Lee", "ACTIVE", now * 1000,
                            PlugNmeetParticipant.userMetadata(false)))));
            listing();

            client.get().uri("/v1/rooms/{id}?providers={p}", ROOM, ProviderEmulators.PLUGNMEET).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.providers[0].source").isEqualTo("cache")
                .jsonPath("$.rooms[0].participants[0].name").isEqualTo("Lee");
            assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isZero();

            emulators.plugNmeet.removeRoom(ROOM);
            listing();
            client.get().uri("/v1/rooms/{id}?providers={p}", ROOM, ProviderEmulators.PLUGNMEET).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.providers[0].status").isEqualTo("not_found");
            assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(1);
        }
        finally {
            emulators.plugNmeet.removeRoom(ROOM);
        }
    }

    private void listing() {
        client.get().uri("/v1/rooms?providers={p}", ProviderEmulators.PLUGNMEET)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache").exchange()
            .expectStatus().isOk();
    }
}
