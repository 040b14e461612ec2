package dev.roomgate.api;

import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.config.ApiKeys;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ManualTicker;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client over its own limit gets a 429 problem with Retry-After, before any provider is asked; the limit is per
 * client, so another client is unaffected; and it refills. Time is the test's ({@link ManualTicker}): with the
 * machine's, requests slower than half a second on a loaded box refilled a token and were served.
 */
@Import(ManualTicker.InContext.class)
class ClientRateLimitTests extends RoomgateIntegrationTest {

    static final String OTHER_KEY = "another-client-key-3b9d1f";

    static final String QUIET_KEY = "a-quiet-client-key-8c2e4a";

    @Autowired
    ManualTicker time;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.client-rate-limit.requests-per-second", () -> "2");
        registry.add("roomgate.client-rate-limit.burst", () -> "3");
        registry.add("roomgate.security.api-keys[1].name", () -> "other");
        registry.add("roomgate.security.api-keys[1].sha256", () -> HexFormat.of().formatHex(ApiKeys.sha256(OTHER_KEY)));
        registry.add("roomgate.security.api-keys[1].permissions", () -> "rooms,providers");
        registry.add("roomgate.security.api-keys[2].name", () -> "quiet");
        registry.add("roomgate.security.api-keys[2].sha256", () -> HexFormat.of().formatHex(ApiKeys.sha256(QUIET_KEY)));
        registry.add("roomgate.security.api-keys[2].permissions", () -> "rooms,providers");
    }

    @Test
    void aClientOverItsLimitGetsAProblemWithRetryAfterAndCostsNoUpstreamCall() {
        for (int i = 0; i < 3; i++) {
            client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange()
                .expectStatus().isOk();
        }
        int calls = emulators.totalCalls();

        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueEquals("Retry-After", "1")
            .expectBody()
            .jsonPath("$.type").isEqualTo("urn:roomgate:problem:too-many-requests")
            .jsonPath("$.status").isEqualTo(429)
            .jsonPath("$.requestId").isNotEmpty();
        // Bad requests count too: enumerating ids is what the limit is for.
        client.get().uri("/v1/rooms/{id}", "bad id!").exchange().expectStatus().isEqualTo(429);
        assertThat(emulators.totalCalls()).isEqualTo(calls);

        // Another client has a bucket of its own.
        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).header("X-API-Key", OTHER_KEY)
            .exchange().expectStatus().isOk();

        // Two tokens a second: after a second the first client may ask again.
        time.advance(Duration.ofSeconds(1));
        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk();
    }

    @Test
    void theBucketIsBoundedByItsBurstNotByHowLongTheClientWasQuiet() {
        time.advance(Duration.ofSeconds(3));
        int allowed = 0;
        for (int i = 0; i < 6; i++) {
            int status = client.get().uri("/v1/providers").header("X-API-Key", QUIET_KEY).exchange()
                .returnResult(String.class).getStatus().value();
            allowed += status == 200 ? 1 : 0;
        }
        // The burst of 3, and none refilled: the test's time does not move while the six requests run.
        assertThat(allowed).isEqualTo(3);
    }
}
