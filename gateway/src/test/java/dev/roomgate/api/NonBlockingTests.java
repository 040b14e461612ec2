package dev.roomgate.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

/**
 * The whole request path under BlockHound: any blocking call on an event-loop or parallel thread fails the call it
 * happens in, which would surface here as a provider status other than the expected one, or a 500.
 */
@Tag("blockhound")
class NonBlockingTests extends RoomgateIntegrationTest {

    static {
        BlockHound.install();
    }

    /** Its own context in its own JVM anyway (BlockHound is JVM-wide): a hung provider may as well end sooner. */
    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.providers." + ProviderEmulators.TENCENT + ".timeout", () -> "500ms");
    }

    @Test
    void blockHoundIsActive() {
        // Waiting on a latch parks the thread, the blocking call BlockHound must catch on a non-blocking one.
        StepVerifier.create(Mono.fromCallable(() -> new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS))
            .subscribeOn(Schedulers.parallel())).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
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
            // By name: this class's own property comes first, so the instances' order here is its own.
            .expectBody()
            .jsonPath(statusOf(ProviderEmulators.PLUGNMEET)).isEqualTo(List.of("ok"))
            .jsonPath(statusOf(ProviderEmulators.TENCENT)).isEqualTo(List.of("timeout"))
            .jsonPath(statusOf(ProviderEmulators.VIDEOSDK)).isEqualTo(List.of("invalid_response"));
        client.get().uri("/v1/rooms/bad%2Fid").exchange().expectStatus().isBadRequest();
        client.get().uri("/nowhere").exchange().expectStatus().isNotFound();
    }

    private static String statusOf(String instance) {
        return "$.providers[?(@.provider == '" + instance + "')].status";
    }
}
