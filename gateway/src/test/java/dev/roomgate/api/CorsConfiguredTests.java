package dev.roomgate.api;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.RoomgateIntegrationTest;

/** With an origin list (the default test shape has one), exactly those origins get CORS answers, and a preflight needs no key. */
class CorsConfiguredTests extends RoomgateIntegrationTest {

    @Test
    void onlyListedOriginsAreAllowed() {
        WebTestClient anonymous = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        anonymous.options().uri("/v1/rooms/{id}", DemoRooms.TOWN_HALL).header("Origin", "https://dash.example.com")
            .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "X-API-Key")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://dash.example.com");
        client.get().uri("/v1/rooms/{id}", DemoRooms.TOWN_HALL)
            .header("Origin", "https://dash.example.com").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://dash.example.com")
            .expectHeader().value("Access-Control-Expose-Headers", value -> org.assertj.core.api.Assertions
                .assertThat(value).contains("X-Request-Id", "X-Aggregation-Complete"));
        anonymous.options().uri("/v1/rooms/{id}", DemoRooms.TOWN_HALL).header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "GET").exchange()
            .expectStatus().isForbidden()
            .expectHeader().doesNotExist("Access-Control-Allow-Origin");
    }
}
