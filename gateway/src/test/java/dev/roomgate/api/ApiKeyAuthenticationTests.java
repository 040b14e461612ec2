package dev.roomgate.api;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.VideoSdkEmulator;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may ask what: API keys, their permissions, and the headers every answer carries. */
class ApiKeyAuthenticationTests extends CacheOffIntegrationTest {

    @Test
    void withoutAValidKeyEveryV1RequestIs401AndReachesNoUpstream() {
        for (List<String> keys : List.of(List.<String>of(), List.of("wrong-key"), List.of(""),
                List.of(ProviderEmulators.API_KEY, ProviderEmulators.API_KEY), List.of("x".repeat(600)))) {
            for (String path : List.of("/v1/rooms/" + DemoRooms.DEMO_STANDUP, "/v1/providers", "/v1/nothing-here")) {
                anonymous().get().uri(path).headers(headers -> keys.forEach(key -> headers.add("X-API-Key", key)))
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals("WWW-Authenticate", "ApiKey realm=\"roomgate\"")
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(401)
                    .jsonPath("$.requestId").isNotEmpty();
            }
        }
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void aValidKeyIsServed() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.rooms[0].participants.length()").isEqualTo(5);
    }

    @Test
    void aKeyWithoutTheParticipantPermissionCausesNoParticipantListingAndSeesNothingPersonal() {
        for (String participants : List.of("true", "false")) {
            anonymous().get().uri("/v1/rooms/{id}?participants={p}", DemoRooms.DEMO_STANDUP, participants)
                .header("X-API-Key", VIEWER_KEY).header("Cache-Control", "no-cache").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Vary", vary -> assertThat(vary).isEqualTo("X-API-Key, Authorization"))
                .expectHeader().value("Cache-Control", value -> assertThat(value).startsWith("private"))
                .expectBody()
                .jsonPath("$.rooms.length()").isEqualTo(3)
                .jsonPath("$.rooms[*].participants").value(lists -> assertThat((List<?>) lists).containsOnlyNulls())
                .jsonPath("$.rooms[*].ownerId").value(owners -> assertThat((List<?>) owners).containsOnlyNulls())
                // plugNmeet counts participants in its one call; the others' counts come from the listing not made.
                .jsonPath("$.rooms[0].participantCount").isEqualTo(5)
                .jsonPath("$.rooms[1].participantCount").doesNotExist()
                .jsonPath("$.providers[*].status").isEqualTo(List.of("ok", "ok", "ok"));
        }
        assertThat(emulators.tencent.calls(TencentEmulator.GET_MEMBER_LIST)).as("Tencent member listings").isZero();
        assertThat(emulators.videoSdk.calls(VideoSdkEmulator.ACTIVE_PARTICIPANTS)).as("VideoSDK participant pages")
            .isZero();
        assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO)).as("the room itself was asked").isPositive();
        String body = anonymous().get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).header("X-API-Key", VIEWER_KEY)
            .exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).doesNotContain("geoLocation", "deviceInfo", "\"Alice\"");
    }

    @Test
    void aKeyWithoutAnEndpointsPermissionIs403() {
        anonymous().get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).header("X-API-Key", PARTICIPANTS_ONLY_KEY)
            .exchange()
            .expectStatus().isForbidden()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        anonymous().get().uri("/v1/providers").header("X-API-Key", VIEWER_KEY).exchange()
            .expectStatus().isForbidden();
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void everyAnswerCarriesSecurityHeadersAndNoServerBanner() {
        for (String path : List.of("/v1/rooms/" + DemoRooms.DEMO_STANDUP, "/v1/rooms/bad%2F", "/nowhere")) {
            client.get().uri(java.net.URI.create("http://localhost:" + port + path))
                .exchange()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().exists("Content-Security-Policy")
                .expectHeader().doesNotExist("Server")
                .expectHeader().doesNotExist("X-Powered-By");
        }
    }

    @Test
    void corsIsOffByDefault() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.TOWN_HALL)
            .header("Origin", "https://evil.example").exchange()
            .expectHeader().doesNotExist("Access-Control-Allow-Origin");
        anonymous().options().uri("/v1/rooms/{id}", DemoRooms.TOWN_HALL).header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "GET").exchange()
            .expectHeader().doesNotExist("Access-Control-Allow-Origin");
    }
}
