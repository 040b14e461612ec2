package dev.roomgate.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.support.Await;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past {@code max-in-flight-per-core}, an API request is answered 503 {@code overloaded} at once and reaches no
 * provider; the requests being answered are not disturbed, and once they end requests are answered again. The cap
 * is one per core here, and plugNmeet holds its answers until the test lets them go, so "in flight" is the test's
 * doing, not the machine's speed.
 */
class LoadSheddingTests extends RoomgateIntegrationTest {

    @DynamicPropertySource
    static void oneInFlightPerCore(DynamicPropertyRegistry registry) {
        registry.add("roomgate.server.max-in-flight-per-core", () -> "1");
        // Far longer than the test: no budget may end a held request while the test counts it as in flight.
        registry.add("roomgate.aggregate.timeout", () -> "2m");
        for (String name : List.of(ProviderEmulators.PLUGNMEET, ProviderEmulators.TENCENT,
                ProviderEmulators.VIDEOSDK)) {
            registry.add("roomgate.providers." + name + ".timeout", () -> "2m");
            registry.add("roomgate.providers." + name + ".retry.attempt-timeout", () -> "2m");
        }
    }

    @Test
    void pastTheInFlightCapARequestIsShedBeforeAnyUpstreamCallAndTheOthersAreAnswered() {
        int cap = Runtime.getRuntime().availableProcessors();
        List<Mono<Integer>> held = new ArrayList<>();
        emulators.plugNmeet.hold();
        try {
            for (int i = 0; i < cap; i++) {
                Mono<Integer> answer = get("/v1/rooms/shed-held-" + i).cache();
                answer.subscribe();
                held.add(answer);
            }
            Await.until("every held request waiting at plugNmeet", () -> emulators.plugNmeet.totalCalls() >= cap);

            client.get().uri("/v1/rooms/one-too-many").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", LoadShedding.RETRY_AFTER_SECONDS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:roomgate:problem:overloaded")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.requestId").isNotEmpty();
            assertThat(emulators.plugNmeet.totalCalls()).as("no call for the shed request").isEqualTo(cap);
            assertThat(emulators.tencent.receivedTargets()).noneMatch(target -> target.contains("one-too-many"));
            assertThat(emulators.videoSdk.receivedTargets()).noneMatch(target -> target.contains("one-too-many"));
            assertThat(scrape()).contains("roomgate_server_requests_shed_total{reason=\"in_flight\"} 1.0",
                    "roomgate_server_requests_in_flight " + cap + ".0");
        }
        finally {
            emulators.plugNmeet.release();
        }
        // No provider has these rooms: answered 404 as not found everywhere, not shed.
        for (Mono<Integer> answer : held) {
            StepVerifier.create(answer).expectNext(404).expectComplete().verify(Duration.ofSeconds(60));
        }
        Await.until("nothing in flight", () -> scrape().contains("roomgate_server_requests_in_flight 0.0"));
        client.get().uri("/v1/rooms/" + dev.roomgate.emulator.DemoRooms.DEMO_STANDUP).exchange().expectStatus().isOk();
    }

    @Test
    void eventStreamsAndTheManagementPortAreNeverShed() {
        assertThat(LoadShedding.sheddable("/v1/rooms/demo-standup")).isTrue();
        assertThat(LoadShedding.sheddable("/v1/rooms")).isTrue();
        assertThat(LoadShedding.sheddable("/v1/providers")).isTrue();
        assertThat(LoadShedding.sheddable("/v1/rooms/demo-standup" + WatchHandler.SUFFIX)).isFalse();
        assertThat(LoadShedding.sheddable("/webhooks/plugnmeet-demo")).isFalse();
        assertThat(LoadShedding.sheddable("/actuator/health")).isFalse();
    }

    private Mono<Integer> get(String path) {
        return HttpClient.create()
            .headers(headers -> headers.set("X-API-Key", ProviderEmulators.API_KEY))
            .get()
            .uri("http://127.0.0.1:" + port + path)
            .responseSingle((response, body) -> body.asString().thenReturn(response.status().code()));
    }

    private String scrape() {
        return new String(management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
            .expectBody().returnResult().getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
