package dev.roomgate.api;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ProviderEmulators;

/**
 * The whole request path under BlockHound: any blocking call on an event-loop or parallel thread fails the call it
 * happens in, which would surface here as a provider status other than the expected one, or a 500.
 */
@Tag("blockhound")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NonBlockingTests {

    static {
        BlockHound.install();
    }

    static final ProviderEmulators emulators = ProviderEmulators.start();

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        emulators.register(registry);
        registry.add("roomgate.providers." + ProviderEmulators.TENCENT + ".timeout", () -> "500ms");
    }

    @BeforeEach
    void connect() {
        client = ProviderEmulators.clientFor(port);
    }

    @AfterEach
    void reset() {
        emulators.reset();
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Test
    void blockHoundIsActive() {
        StepVerifier.create(Mono.fromCallable(() -> {
            Thread.sleep(10);
            return 1;
        }).subscribeOn(Schedulers.parallel())).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void aFullAnswerNeverBlocks() {
        // no-cache: each request runs the whole upstream path, and a room failure another test left in the cache
        // (kept for not-found-for, by design) cannot stand in for it.
        for (int i = 0; i < 3; i++) {
            client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).header("Cache-Control", "no-cache").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.providers[*].status").isEqualTo(List.of("ok", "ok", "ok"));
        }
    }

    @Test
    void failurePathsNeverBlock() {
        emulators.tencent.hang();
        emulators.plugNmeet.failNextTimes(1, 503);
        emulators.videoSdk.failWith(200, "{broken");
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).header("Cache-Control", "no-cache").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.providers[*].status").isEqualTo(List.of("ok", "timeout", "invalid_response"));
        client.get().uri("/v1/rooms/bad%2Fid").exchange().expectStatus().isBadRequest();
        client.get().uri("/nowhere").exchange().expectStatus().isNotFound();
    }
}
