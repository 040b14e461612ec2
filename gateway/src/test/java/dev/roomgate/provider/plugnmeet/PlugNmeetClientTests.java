package dev.roomgate.provider.plugnmeet;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.Secret;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetParticipant;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.support.ClientHarness;

import static org.assertj.core.api.Assertions.assertThat;

class PlugNmeetClientTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final PlugNmeetEmulator plugNmeet = new PlugNmeetEmulator(DemoRooms.PLUGNMEET_API_KEY,
            DemoRooms.PLUGNMEET_API_SECRET).start();

    @AfterEach
    void stop() {
        plugNmeet.close();
    }

    private ProviderClient client(String secret) {
        return ClientHarness.client(ClientHarness.instance("plugnmeet-test", ProviderType.PLUGNMEET,
                plugNmeet.baseUrl(), 3,
                new ProviderCredentials.PlugNmeet(DemoRooms.PLUGNMEET_API_KEY, Secret.of(secret))));
    }

    private void room(String id, boolean running) {
        plugNmeet.addRoom(new PlugNmeetRoom(id, "Room " + id, "RM_" + id, running, true, false, 1700000000L, "{}",
                List.of(new PlugNmeetParticipant("PA_1", "u1", "User 1", "ACTIVE", 1700000005123L,
                        "{\"is_admin\":true}"))));
    }

    private void assertFound(String roomId, String secret) {
        StepVerifier.create(ClientHarness.fetch(client(secret), roomId, true).lookup())
            .assertNext(lookup -> assertThat(((Outcome.Found) lookup).room().participants()).hasSize(1))
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void listsEveryRunningRoomOnceWithoutParticipantsOnEitherServerGeneration() {
        for (boolean legacy : List.of(false, true)) {
            plugNmeet.legacyMode(legacy);
            StepVerifier.create(client(DemoRooms.PLUGNMEET_API_SECRET).listRooms(budget(), new ListingProgress()))
                .assertNext(listing -> assertThat(listing.rooms()).as("an empty server, legacy %s", legacy).isEmpty())
                .expectComplete()
                .verify(WAIT);
            room("r1", true);
            room("r2", true);
            room("ended", false);
            StepVerifier.create(client(DemoRooms.PLUGNMEET_API_SECRET).listRooms(budget(), new ListingProgress()))
                .assertNext(listing -> {
                    assertThat(listing.rooms()).extracting(Room::roomId).containsExactlyInAnyOrder("r1", "r2");
                    assertThat(listing.rooms()).allSatisfy(room -> {
                        assertThat(room.participants()).isNull();
                        assertThat(room.participantCount()).isEqualTo(1);
                        assertThat(room.recording()).isTrue();
                    });
                    // The same rooms whole, as the room lookup answers them, for the room cache.
                    assertThat(listing.wholeRooms()).extracting(Room::roomId).containsExactlyElementsOf(
                            listing.rooms().stream().map(Room::roomId).toList());
                    assertThat(listing.wholeRooms()).allSatisfy(room -> assertThat(room.participants()).hasSize(1));
                    assertThat(listing.everyLiveRoom()).isTrue();
                })
                .expectComplete()
                .verify(WAIT);
            List.of("r1", "r2", "ended").forEach(plugNmeet::removeRoom);
        }
        assertThat(plugNmeet.calls(PlugNmeetEmulator.ROOMS_INFO)).isEqualTo(4);
    }

    @Test
    void aListingWithAWrongSecretIsAuthFailed() {
        StepVerifier.create(client("wrong-secret").listRooms(budget(), new ListingProgress()))
            .expectErrorSatisfies(error -> assertThat(((ProviderException) error).status())
                .isEqualTo(ProviderStatus.AUTH_FAILED))
            .verify(WAIT);
    }

    private static CallBudget budget() {
        return CallBudget.start(Ticker.system(), ClientHarness.TIMEOUT);
    }

    @Test
    void parsesEitherSerializationOfTheServer() {
        room("r1", true);
        assertFound("r1", DemoRooms.PLUGNMEET_API_SECRET);
        plugNmeet.extraSpaceAfterComma(true);
        assertFound("r1", DemoRooms.PLUGNMEET_API_SECRET);
    }

    @Test
    void notRunningAndUnknownRoomsAreNotFound() {
        room("ended", false);
        for (String id : List.of("ended", "unknown")) {
            StepVerifier.create(ClientHarness.fetch(client(DemoRooms.PLUGNMEET_API_SECRET), id, true).lookup())
                .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
                .expectComplete()
                .verify(WAIT);
        }
    }

    @Test
    void olderServersWithoutStatusCodeToo() {
        plugNmeet.legacyMode(true);
        room("r1", true);
        assertFound("r1", DemoRooms.PLUGNMEET_API_SECRET);
        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.PLUGNMEET_API_SECRET), "unknown", true).lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void notFoundIsReadFromTheMessageWhenTheCodeSaysNothingAndFromNumericCodes() {
        for (String body : List.of(
                "{\"status\":false,\"msg\":\"room not found in active state\",\"status_code\":\"UNKNOWN_STATUS\",\"room\":null}",
                "{\"status\":false,\"msg\":\"room is not active\",\"status_code\":\"\",\"room\":null}",
                "{\"status\":false,\"msg\":\"gone\",\"status_code\":14,\"room\":null}")) {
            plugNmeet.failWith(200, body);
            StepVerifier.create(ClientHarness.fetch(client(DemoRooms.PLUGNMEET_API_SECRET), "r1", true).lookup())
                .assertNext(lookup -> assertThat(lookup).as(body).isInstanceOf(Outcome.NotFound.class))
                .expectComplete()
                .verify(WAIT);
        }
    }

    @Test
    void aRefusalInsideHttp200KeepsBothCodes() {
        plugNmeet.failWith(200, "{\"status\":false,\"msg\":\"boom\",\"status_code\":\"CONFLICT\",\"room\":null}");
        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.PLUGNMEET_API_SECRET), "r1", true).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.UPSTREAM_ERROR);
                assertThat(failure.toError().httpStatus()).isEqualTo(200);
                assertThat(failure.toError().upstreamCode()).isEqualTo("CONFLICT");
            })
            .verify(WAIT);
    }

    @Test
    void aProvidersFreeTextCodeIsBoundedAndStrippedInTheAnswersError() {
        String code = "EVIL\\r\\nINFO forged line " + "X".repeat(5_000);
        plugNmeet.failWith(200, "{\"status\":false,\"msg\":\"boom\",\"status_code\":\"" + code + "\",\"room\":null}");
        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.PLUGNMEET_API_SECRET), "r1", true).lookup())
            .expectErrorSatisfies(error -> {
                String upstream = ((ProviderException) error).toError().upstreamCode();
                assertThat(upstream).hasSize(200).startsWith("EVIL INFO forged line").doesNotContain("\r", "\n");
            })
            .verify(WAIT);
    }

    @Test
    void aWrongSecretIsAuthFailedAndNotRetried() {
        room("r1", true);
        StepVerifier.create(ClientHarness.fetch(client("not-the-secret-at-all"), "r1", true).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.AUTH_FAILED);
                assertThat(failure.toError().httpStatus()).isEqualTo(401);
                assertThat(failure.toError().upstreamCode()).isEqualTo("INVALID_TOKEN_OR_SIGNATURE");
            })
            .verify(WAIT);
        assertThat(plugNmeet.totalCalls()).isEqualTo(1);
    }
}
