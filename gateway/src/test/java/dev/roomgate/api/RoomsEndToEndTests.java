package dev.roomgate.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.ProviderEmulator;
import dev.roomgate.support.Await;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API over real HTTP on a random port, against the three provider emulators. The cache-off shape holds
 * every request to its own upstream calls; reuse and sharing are tested in the cache's own tests.
 */
class RoomsEndToEndTests extends CacheOffIntegrationTest {

    @Test
    void aggregatesARoomLiveOnEveryProvider() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectHeader().valueEquals("X-Aggregation-Complete", "true")
            .expectHeader().exists("X-Request-Id")
            .expectBody()
            .jsonPath("$.roomId").isEqualTo(DemoRooms.DEMO_STANDUP)
            .jsonPath("$.complete").isEqualTo(true)
            .jsonPath("$.fetchedAt").isNotEmpty()
            .jsonPath("$.providers[*].provider").isEqualTo(List.of(ProviderEmulators.PLUGNMEET,
                    ProviderEmulators.TENCENT, ProviderEmulators.VIDEOSDK))
            .jsonPath("$.providers[*].status").isEqualTo(List.of("ok", "ok", "ok"))
            .jsonPath("$.providers[*].retries").isEqualTo(List.of(0, 0, 0))
            .jsonPath("$.providers[*].source").isEqualTo(List.of("upstream", "upstream", "upstream"))
            .jsonPath("$.providers[0].error").doesNotExist()
            .jsonPath("$.rooms[*].providerType").isEqualTo(List.of("plugnmeet", "tencent", "videosdk"))
            .jsonPath("$.rooms[0].participants.length()").isEqualTo(5)
            .jsonPath("$.rooms[0].participants[?(@.role == 'admin')].id").isNotEmpty()
            .jsonPath("$.rooms[1].participantCount").isEqualTo(23)
            .jsonPath("$.rooms[1].participants.length()").isEqualTo(23)
            .jsonPath("$.rooms[2].participantCount").isEqualTo(27)
            .jsonPath("$.rooms[2].participants.length()").isEqualTo(27)
            .jsonPath("$.rooms[2].sessionId").isEqualTo(DemoRooms.DEMO_STANDUP_VIDEOSDK_SESSION);
        assertThat(emulators.tencent.calls("get_member_list")).as("23 members at 10 a page").isEqualTo(3);
        assertThat(emulators.videoSdk.calls("participants/active")).as("27 participants at 10 a page").isEqualTo(3);
    }

    @Test
    void keepsEveryDigitOfTencentsNumericOwner() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.TENCENT_ONLY).exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("X-Aggregation-Complete", "true")
            .expectBody()
            .jsonPath("$.rooms.length()").isEqualTo(1)
            .jsonPath("$.rooms[0].ownerId").isEqualTo(DemoRooms.TENCENT_ONLY_OWNER)
            .jsonPath("$.providers[*].status").isEqualTo(List.of("not_found", "ok", "not_found"));
    }

    @Test
    void withoutParticipantsSkipsTheListingCalls() {
        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.rooms[0].participants").isEmpty()
            .jsonPath("$.rooms[1].participants").isEmpty()
            .jsonPath("$.rooms[2].participants").isEmpty();
        assertThat(emulators.tencent.calls("get_member_list")).isZero();
        assertThat(emulators.videoSdk.calls("participants/active")).isZero();
    }

    @Test
    void asksOnlyTheNamedProviders() {
        client.get().uri("/v1/rooms/{id}?providers={p}", DemoRooms.DEMO_STANDUP, ProviderEmulators.VIDEOSDK)
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.providers.length()").isEqualTo(1)
            .jsonPath("$.rooms[0].provider").isEqualTo(ProviderEmulators.VIDEOSDK);
        assertThat(emulators.plugNmeet.totalCalls() + emulators.tencent.totalCalls()).isZero();
    }

    @Test
    void aHangingProviderCostsOnlyItsBudget() {
        emulators.tencent.hang();
        long started = System.nanoTime();

        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("X-Aggregation-Complete", "false")
            .expectBody()
            .jsonPath("$.complete").isEqualTo(false)
            .jsonPath("$.providers[1].status").isEqualTo("timeout")
            .jsonPath("$.providers[1].error.code").isEqualTo("UPSTREAM_TIMEOUT")
            .jsonPath("$.providers[0].status").isEqualTo("ok")
            .jsonPath("$.providers[2].status").isEqualTo("ok")
            .jsonPath("$.rooms.length()").isEqualTo(2);

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        // Not before the hung provider's own budget ran out; that it was this budget that ended it, and not the
        // request's, is what the status and code above say (an upper bound on the wall clock would race the box).
        assertThat(elapsed).isGreaterThanOrEqualTo(INSTANCE_TIMEOUT);
    }

    @Test
    void slowProvidersAreAskedInParallel() {
        // Every provider holds its answer: a serial fan-out would never ask the second while the first is held.
        List<ProviderEmulator<?>> all = List.of(emulators.plugNmeet, emulators.tencent, emulators.videoSdk);
        all.forEach(ProviderEmulator::hold);
        CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> client.get()
            .uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk());

        Await.until("a call held at every provider at once",
                () -> all.stream().allMatch(emulator -> emulator.totalCalls() > 0));
        all.forEach(ProviderEmulator::release);
        answered.join();
    }

    @Test
    void everyProviderSayingNotFoundIs404WithTheDocument() {
        client.get().uri("/v1/rooms/no-such-room").exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectHeader().valueEquals("X-Aggregation-Complete", "true")
            .expectBody()
            .jsonPath("$.rooms").isEmpty()
            .jsonPath("$.providers[*].status").isEqualTo(List.of("not_found", "not_found", "not_found"))
            .jsonPath("$.providers[0].error").doesNotExist();
    }

    @Test
    void aLegacyPlugNmeetServersUnknownRoomIsNotFoundAnd404() {
        emulators.plugNmeet.legacyMode(true);
        try {
            client.get().uri("/v1/rooms/legacy-no-such-room").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.providers[*].status").isEqualTo(List.of("not_found", "not_found", "not_found"));
        }
        finally {
            emulators.plugNmeet.legacyMode(false);
        }
    }

    @Test
    void participantsCarryMediaAndOneRoleNameAndEachListSaysWhetherItIsComplete() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.rooms[*].participantsComplete").isEqualTo(List.of(true, true, true))
            .jsonPath("$.rooms[0].participants[?(@.id == 'alice')].media.camera").isEqualTo(List.of("on"))
            .jsonPath("$.rooms[0].participants[?(@.id == 'alice')].media.microphone").isEqualTo(List.of("on"))
            .jsonPath("$.rooms[0].participants[?(@.id == 'bongani')].media.microphone").isEqualTo(List.of("muted"))
            .jsonPath("$.rooms[0].participants[?(@.id == 'bongani')].media.camera").isEqualTo(List.of("off"))
            .jsonPath("$.rooms[1].participants[0].media").isEmpty()
            .jsonPath("$.rooms[2].participants[*].role").value(roles -> assertThat((List<Object>) roles)
                .containsOnly((Object) "conference", "viewer"))
            .jsonPath("$.rooms[2].participants[0].media.microphone").isEqualTo("on")
            .jsonPath("$.rooms[2].participants[3].media.microphone").isEqualTo("off");
        client.get().uri("/v1/rooms/{id}", DemoRooms.TENCENT_ONLY).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.rooms[0].participants[?(@.role == 'owner')].id")
            .isEqualTo(List.of(DemoRooms.TENCENT_ONLY_OWNER));
    }

    @Test
    void anEmptyListFromAFailedMediaServerIsIncomplete() {
        emulators.plugNmeet.participantListingFails(true);
        try {
            client.get().uri("/v1/rooms/{id}?providers={p}", DemoRooms.TOWN_HALL, ProviderEmulators.PLUGNMEET)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.rooms[0].participants").isEmpty()
                .jsonPath("$.rooms[0].participantCount").isEqualTo(3)
                .jsonPath("$.rooms[0].participantsComplete").isEqualTo(false);
        }
        finally {
            emulators.plugNmeet.participantListingFails(false);
        }
    }

    @Test
    void aTencentMemberListCappedAtOneThousandIsIncomplete() {
        List<String> crowd = java.util.stream.IntStream.rangeClosed(1, 1200)
            .mapToObj(i -> String.format("fan-%04d", i))
            .toList();
        emulators.tencent.addRoom(new dev.roomgate.emulator.TencentRoom("tencent-crowd", "Crowd", "fan-0001", 1L,
                2000, false, crowd));
        emulators.tencent.pageSize(500);
        try {
            client.get().uri("/v1/rooms/tencent-crowd?providers={p}", ProviderEmulators.TENCENT).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.rooms[0].participantCount").isEqualTo(1200)
                .jsonPath("$.rooms[0].participants.length()").isEqualTo(1000)
                .jsonPath("$.rooms[0].participantsComplete").isEqualTo(false)
                .jsonPath("$.rooms[0].participants[0].role").isEqualTo("owner");
        }
        finally {
            emulators.tencent.pageSize(10);
            emulators.tencent.removeRoom("tencent-crowd");
        }
    }

    @Test
    void everyProviderFailingIs502WithTheReasons() {
        emulators.plugNmeet.failWith(500, null);
        emulators.tencent.failWith(500, null);
        emulators.videoSdk.failWith(500, null);

        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isEqualTo(502)
            .expectHeader().valueEquals("X-Aggregation-Complete", "false")
            .expectBody()
            .jsonPath("$.complete").isEqualTo(false)
            .jsonPath("$.providers[*].status").isEqualTo(List.of("upstream_error", "upstream_error", "upstream_error"))
            .jsonPath("$.providers[0].error.httpStatus").isEqualTo(500)
            .jsonPath("$.providers[0].error.code").isEqualTo("UPSTREAM_HTTP_500");
    }

    @Test
    void notFoundPlusAFailureIs502() {
        emulators.videoSdk.failWith(503, null);
        client.get().uri("/v1/rooms/no-such-room").exchange()
            .expectStatus().isEqualTo(502)
            .expectBody().jsonPath("$.providers[2].status").isEqualTo("upstream_error");
    }

    @Test
    void transientFailuresAreRetriedAndCounted() {
        emulators.plugNmeet.failNextTimes(2, 503);
        client.get().uri("/v1/rooms/{id}?providers={p}", DemoRooms.DEMO_STANDUP, ProviderEmulators.PLUGNMEET)
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.providers[0].status").isEqualTo("ok")
            .jsonPath("$.providers[0].retries").isEqualTo(2);
        assertThat(emulators.plugNmeet.calls("getActiveRoomInfo")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = { ProviderEmulators.PLUGNMEET, ProviderEmulators.TENCENT, ProviderEmulators.VIDEOSDK })
    void aPassing500FromAnyProviderIsRetriedOnce(String provider) {
        emulatorNamed(provider).failNextTimes(1, 500);
        client.get().uri("/v1/rooms/{id}?providers={p}", DemoRooms.DEMO_STANDUP, provider)
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.providers[0].status").isEqualTo("ok")
            .jsonPath("$.providers[0].retries").isEqualTo(1);
    }

    private ProviderEmulator<?> emulatorNamed(String provider) {
        return switch (provider) {
            case ProviderEmulators.PLUGNMEET -> emulators.plugNmeet;
            case ProviderEmulators.TENCENT -> emulators.tencent;
            default -> emulators.videoSdk;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/rooms/bad%2Fid", "/v1/rooms/a/b", "/v1/rooms/x/", "/v1/rooms/", "/v1/rooms/-x", "/v1/rooms/a%00b", "/v1/rooms/r?providers=zoom",
            "/v1/rooms/r?participants=maybe", "/v1/rooms/r?providers=tencent-demo&providers=tencent-demo",
            "/v1/rooms/r?api_key=secret" })
    void badInputIsAProblemAndReachesNoUpstream(String target) {
        client.get().uri(java.net.URI.create("http://localhost:" + port + target)).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.status").isEqualTo(400)
            .jsonPath("$.type").value(type -> assertThat((String) type).startsWith("urn:roomgate:problem:"))
            .jsonPath("$.title").isEqualTo("Bad Request")
            .jsonPath("$.detail").isNotEmpty()
            .jsonPath("$.requestId").isNotEmpty();
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void anUnchangedRoomIsNotModifiedAndItsTagIsWhatItSaysNotWhenItWasBuilt() {
        String tag = client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .returnResult(String.class).getResponseHeaders().getETag();
        assertThat(tag).startsWith("W/\"");
        // Built again from every provider (no cache here), with other latencies and fetchedAt: the same tag.
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).header("If-None-Match", tag).exchange()
            .expectStatus().isNotModified()
            .expectHeader().valueEquals("ETag", tag)
            .expectBody().isEmpty();
        // What a caller may see is part of what the answer says: without participants, another tag.
        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).header("If-None-Match", tag)
            .exchange()
            .expectStatus().isOk()
            .expectHeader().value("ETag", other -> assertThat(other).isNotEqualTo(tag));
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        client.head().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("X-Aggregation-Complete", "true")
            .expectBody().isEmpty();
    }

    @Test
    void wrongMethodIs405WithAllow() {
        client.post().uri("/v1/rooms/room01").exchange()
            .expectStatus().isEqualTo(405)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().value("Allow", allow -> assertThat(allow).contains("GET"));
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void unknownPathsAndActuatorAreProblem404OnTheMainPort() {
        for (String path : List.of("/v2/rooms/x", "/actuator", "/actuator/health", "/actuator/gateway/routes",
                "/actuator/env", "/v1")) {
            client.get().uri(path).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.requestId").isNotEmpty();
        }
    }

    @Test
    void echoesASafeRequestIdAndReplacesAnUnsafeOne() {
        client.get().uri("/v1/rooms/no-such-room").header("X-Request-Id", "dash-board.42_x").exchange()
            .expectHeader().valueEquals("X-Request-Id", "dash-board.42_x");
        client.get().uri("/v1/rooms/no-such-room").header("X-Request-Id", "bad id with spaces").exchange()
            .expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[A-Za-z0-9._-]{1,64}")
                .isNotEqualTo("bad id with spaces"));
        client.get().uri("/v1/rooms/bad%2Fid").header("X-Request-Id", "req-7").exchange()
            .expectBody().jsonPath("$.requestId").isEqualTo("req-7");
    }

    @Test
    void notAcceptableIs406() {
        client.get().uri("/v1/rooms/room01").accept(MediaType.APPLICATION_XML).exchange()
            .expectStatus().isEqualTo(406);
        assertThat(emulators.totalCalls()).isZero();
    }
}
