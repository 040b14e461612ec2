package dev.roomgate.provider.videosdk;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.Secret;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.VideoSdkEmulator;
import dev.roomgate.emulator.VideoSdkParticipant;
import dev.roomgate.emulator.VideoSdkSession;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.support.ClientHarness;

import static org.assertj.core.api.Assertions.assertThat;

class VideoSdkClientTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final VideoSdkEmulator videoSdk = new VideoSdkEmulator(DemoRooms.VIDEOSDK_API_KEY,
            DemoRooms.VIDEOSDK_SECRET).start();

    VideoSdkClientTests() {
        // The demo rooms give a 27-participant session; the other two emulators are only needed by install().
        try (PlugNmeetEmulator p = new PlugNmeetEmulator("k", "s"); TencentEmulator t = new TencentEmulator(1, "a", "k")) {
            DemoRooms.install(p, t, videoSdk);
        }
    }

    @AfterEach
    void stop() {
        videoSdk.close();
    }

    private ProviderClient client(String baseUrl, String secret, int maxAttempts, int maxBody) {
        return ClientHarness.client(ClientHarness.instance("videosdk-test", ProviderType.VIDEOSDK, baseUrl,
                maxAttempts, new ProviderCredentials.VideoSdk(DemoRooms.VIDEOSDK_API_KEY, Secret.of(secret))), maxBody);
    }

    private ProviderClient client() {
        return client(videoSdk.baseUrl(), DemoRooms.VIDEOSDK_SECRET, 3, 1 << 20);
    }

    @Test
    void readsEveryPageWhateverPageSizeTheServerChose() {
        videoSdk.maxPerPage(4);
        StepVerifier.create(ClientHarness.fetch(client(), DemoRooms.DEMO_STANDUP, true).lookup())
            .assertNext(lookup -> {
                Room room = ((Outcome.Found) lookup).room();
                assertThat(room.participants()).hasSize(27);
                assertThat(room.participants()).extracting(p -> p.id()).doesNotHaveDuplicates();
                assertThat(room.participantCount()).isEqualTo(27);
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(videoSdk.calls(VideoSdkEmulator.ACTIVE_PARTICIPANTS)).isEqualTo(7);
    }

    @Test
    void streamingIsTheHlsCallsAnswerMadeBesideTheListingOnly() {
        for (String room : new String[] { DemoRooms.TOWN_HALL, DemoRooms.DEMO_STANDUP }) {
            StepVerifier.create(ClientHarness.fetch(client(), room, true).lookup())
                .assertNext(lookup -> assertThat(((Outcome.Found) lookup).room().streaming()).as(room)
                    .isEqualTo(room.equals(DemoRooms.TOWN_HALL)))
                .expectComplete()
                .verify(WAIT);
        }
        assertThat(videoSdk.calls(VideoSdkEmulator.ACTIVE_HLS)).isEqualTo(2);

        videoSdk.resetCalls();
        StepVerifier.create(ClientHarness.fetch(client(), DemoRooms.TOWN_HALL, false).lookup())
            .assertNext(lookup -> assertThat(((Outcome.Found) lookup).room().streaming()).isNull())
            .expectComplete()
            .verify(WAIT);
        assertThat(videoSdk.calls(VideoSdkEmulator.ACTIVE_HLS)).as("a call nobody asked for").isZero();
    }

    @Test
    void aFailingHlsCallLeavesStreamingUnknownAndTheRoomAnswered() {
        videoSdk.hlsFailsWith(401);
        StepVerifier.create(ClientHarness.fetch(client(), DemoRooms.TOWN_HALL, true).lookup())
            .assertNext(lookup -> {
                Room room = ((Outcome.Found) lookup).room();
                assertThat(room.streaming()).isNull();
                assertThat(room.participants()).isNotEmpty();
            })
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aRoomWithoutOngoingSessionIsNotFound() {
        StepVerifier.create(ClientHarness.fetch(client(), "no-session", true).lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void twoServiceUnavailableAnswersAreRetriedAndCounted() {
        videoSdk.failNextTimes(2, 503);
        ClientHarness.Run run = ClientHarness.fetch(client(), DemoRooms.DEMO_STANDUP, false);
        StepVerifier.create(run.lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.Found.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(run.budget().retries()).isEqualTo(2);
        assertThat(videoSdk.totalCalls()).isEqualTo(3);
    }

    @Test
    void listsEveryOngoingRoomOnceAcrossPagesWithItsNewestSession() {
        Instant now = Instant.now();
        for (int i = 0; i < 130; i++) {
            videoSdk.addSession(new VideoSdkSession(VideoSdkSession.newSessionId(), String.format("list-%03d", i),
                    now.minusSeconds(600 + i), "in002", List.of(new VideoSdkParticipant("p" + i, "P " + i, "rec" + i,
                            "CONFERENCE", List.of(now.minusSeconds(300)), "Pune", "India", true, false))));
        }
        // A second live session of one room, newer: the room is listed once, with it.
        String newest = VideoSdkSession.newSessionId();
        videoSdk.addSession(new VideoSdkSession(newest, "list-007", now.minusSeconds(5), "in002", List.of()));
        videoSdk.addSession(new VideoSdkSession(VideoSdkSession.newSessionId(), "list-ended", now.minusSeconds(900),
                "in002", List.of()));
        videoSdk.endSession("list-ended");

        ListingProgress progress = new ListingProgress();
        StepVerifier.create(client().listRooms(CallBudget.start(Ticker.system(), ClientHarness.TIMEOUT), progress))
            .assertNext(listing -> {
                assertThat(listing.everyLiveRoom()).isTrue();
                List<Room> listed = listing.rooms().stream().filter(room -> room.roomId().startsWith("list-")).toList();
                assertThat(listed).hasSize(130).extracting(Room::roomId).doesNotHaveDuplicates()
                    .doesNotContain("list-ended");
                Room twice = listed.stream().filter(room -> room.roomId().equals("list-007")).findFirst()
                    .orElseThrow();
                assertThat(twice.sessionId()).isEqualTo(newest);
                assertThat(listed).filteredOn(room -> !room.roomId().equals("list-007"))
                    .allSatisfy(room -> assertThat(room.participantCount()).isEqualTo(1));
                assertThat(listed).allSatisfy(room -> assertThat(room.participants()).isNull());
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(videoSdk.calls(VideoSdkEmulator.SESSIONS)).isEqualTo(2);
        assertThat(progress.soFar().pages()).isEqualTo(2);
        assertThat(progress.soFar().rooms()).extracting(Room::roomId).contains("list-007", "list-129")
            .doesNotHaveDuplicates();
    }

    @Test
    void aThrottleWaitsOutVideoSdksBackoffBeforeTheRetry() {
        videoSdk.failNextTimes(1, 429);
        // A budget well beyond the pause: on a loaded machine the first call alone may take a second.
        ClientHarness.Run run = ClientHarness.fetch(client(), DemoRooms.DEMO_STANDUP, false, Duration.ofSeconds(20));
        StepVerifier.create(run.lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.Found.class))
            .expectComplete()
            .verify(Duration.ofSeconds(30));
        assertThat(run.budget().retries()).isEqualTo(1);
        // No Retry-After: the instance pauses from 1 s, so no two calls come closer than that.
        assertThat(videoSdk.maxCallsInAnyWindow(VideoSdkEmulator.SESSIONS, Duration.ofMillis(900))).isEqualTo(1);
    }

    @ParameterizedTest(name = "HTTP {0} on the session listing is not found")
    @ValueSource(ints = { 402, 404 })
    void aSessionListingThatSaysNotThereIsNotFound(int status) {
        videoSdk.failNextTimes(1, status);
        StepVerifier.create(ClientHarness.fetch(client(), DemoRooms.DEMO_STANDUP, true).lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(videoSdk.totalCalls()).isEqualTo(1);
    }

    @Test
    void aForbiddenTokenIsAuthFailedAndNotRetried() {
        videoSdk.failNextTimes(1, 403);
        StepVerifier.create(ClientHarness.fetch(client(), DemoRooms.DEMO_STANDUP, false).lookup())
            .expectErrorSatisfies(error -> {
                assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.AUTH_FAILED);
                assertThat(((ProviderException) error).toError().httpStatus()).isEqualTo(403);
            })
            .verify(WAIT);
        assertThat(videoSdk.totalCalls()).isEqualTo(1);
    }

    @Test
    void aBadRequestIsNotRetried() {
        videoSdk.failNextTimes(1, 400);
        StepVerifier.create(ClientHarness.fetch(client(), DemoRooms.DEMO_STANDUP, false).lookup())
            .expectErrorSatisfies(error -> {
                assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.UPSTREAM_ERROR);
                assertThat(((ProviderException) error).toError().httpStatus()).isEqualTo(400);
            })
            .verify(WAIT);
        assertThat(videoSdk.totalCalls()).isEqualTo(1);
    }

    @Test
    void aWrongSecretIsAuthFailed() {
        StepVerifier.create(ClientHarness.fetch(client(videoSdk.baseUrl(), "wrong-secret", 3, 1 << 20),
                DemoRooms.DEMO_STANDUP, true).lookup())
            .expectErrorSatisfies(error -> {
                assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.AUTH_FAILED);
                assertThat(((ProviderException) error).toError().httpStatus()).isEqualTo(401);
            })
            .verify(WAIT);
        assertThat(videoSdk.totalCalls()).isEqualTo(1);
    }

    @Test
    void anOversizedBodyIsInvalidWithoutBeingKept() {
        videoSdk.failWith(200, "{\"data\":[\"" + "x".repeat(64 * 1024) + "\"]}");
        StepVerifier.create(ClientHarness.fetch(client(videoSdk.baseUrl(), DemoRooms.VIDEOSDK_SECRET, 3, 16 * 1024),
                DemoRooms.DEMO_STANDUP, true).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.INVALID_RESPONSE);
                assertThat(failure.toError().code()).isEqualTo("UPSTREAM_BODY_TOO_LARGE");
            })
            .verify(WAIT);
    }

    @Test
    void anUnreachableProviderIsUpstreamErrorAfterItsRetries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ClientHarness.Run run = ClientHarness.fetch(
                client("http://127.0.0.1:" + closedPort, DemoRooms.VIDEOSDK_SECRET, 2, 1 << 20),
                DemoRooms.DEMO_STANDUP, true);
        StepVerifier.create(run.lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.UPSTREAM_ERROR);
                assertThat(failure.toError().code()).isEqualTo("UPSTREAM_UNREACHABLE");
                assertThat(failure.getMessage()).doesNotContain("127.0.0.1", String.valueOf(closedPort));
            })
            .verify(WAIT);
        assertThat(run.budget().retries()).isEqualTo(1);
    }
}
