package dev.roomgate.cache;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Reuse and sharing through the public API, against the provider emulators. */
class CacheEndToEndTests extends RoomgateIntegrationTest {

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.cache.fresh-for", () -> "300ms");
        registry.add("roomgate.cache.refresh-window", () -> "100ms");
        registry.add("roomgate.cache.max-stale", () -> "30s");
    }

    private static void pause(Duration duration) {
        StepVerifier.create(Mono.delay(duration)).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
    }

    @Test
    void aWarmAnswerIsReusedWithTruthfulHeaders() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.TENCENT_ONLY).exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("Age", "0")
            .expectHeader().value("Cache-Control", value -> assertThat(value).startsWith("private, max-age="))
            .expectBody().jsonPath("$.providers[*].source").isEqualTo(List.of("upstream", "upstream", "upstream"));
        int firstCost = emulators.totalCalls();
        client.get().uri("/v1/rooms/{id}", DemoRooms.TENCENT_ONLY).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.providers[*].source").isEqualTo(List.of("cache", "cache", "cache"))
            .jsonPath("$.providers[1].ageMs").isNumber()
            .jsonPath("$.providers[1].retries").isEqualTo(0);
        assertThat(emulators.totalCalls()).as("the second answer cost nothing upstream").isEqualTo(firstCost);

        client.get().uri("/v1/rooms/{id}", DemoRooms.TENCENT_ONLY).header("Cache-Control", "no-cache").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.providers[*].source").isEqualTo(List.of("upstream", "upstream", "upstream"));
        assertThat(emulators.totalCalls()).as("no-cache pays for a fresh lookup").isEqualTo(2 * firstCost);
    }

    @Test
    void aProviderOutageWithAWarmCacheIsStaleWithItsAge() {
        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange().expectStatus().isOk();
        pause(Duration.ofMillis(600));
        emulators.tencent.failWith(503, null);
        emulators.tencent.resetCalls();

        client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("X-Aggregation-Complete", "false")
            .expectHeader().valueEquals("Cache-Control", "private, max-age=0")
            .expectBody()
            .jsonPath("$.providers[1].status").isEqualTo("stale")
            .jsonPath("$.providers[1].source").isEqualTo("stale")
            .jsonPath("$.providers[1].ageMs").value(age -> assertThat(((Number) age).longValue()).isGreaterThan(500))
            .jsonPath("$.providers[1].error.httpStatus").isEqualTo(503)
            .jsonPath("$.providers[1].retries").value(retries -> assertThat((Integer) retries)
                .as("the failed lookup's retries").isEqualTo(emulators.tencent.totalCalls() - 1))
            .jsonPath("$.rooms.length()").isEqualTo(3)
            .jsonPath("$.rooms[1].providerType").isEqualTo("tencent")
            .jsonPath("$.providers[0].status").isEqualTo("ok")
            .jsonPath("$.providers[0].source").isEqualTo("upstream");
    }

    @Test
    void pollingARoomThatIsGoneDoesNotBurnQuota() {
        for (int i = 0; i < 5; i++) {
            client.get().uri("/v1/rooms/gone-room").exchange().expectStatus().isNotFound();
        }
        assertThat(emulators.totalCalls()).isEqualTo(3);
    }

    @Test
    void theCacheReportsWhatItSaved() {
        for (int i = 0; i < 4; i++) {
            client.get().uri("/v1/rooms/{id}?participants=false", DemoRooms.TOWN_HALL).exchange().expectStatus().isOk();
        }
        String metrics = management.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("roomgate_cache_lookups_total{", "result=\"hit\"", "result=\"miss\"",
                "roomgate_room_lookups_total{", "roomgate_upstream_calls_total{", "roomgate_cache_entries ",
                "roomgate_amplification_ratio ");
        String ratio = metrics.lines().filter(line -> line.startsWith("roomgate_amplification_ratio ")).findFirst()
            .orElseThrow();
        assertThat(Double.parseDouble(ratio.substring(ratio.indexOf(' ') + 1))).isLessThan(1.0);
    }
}
