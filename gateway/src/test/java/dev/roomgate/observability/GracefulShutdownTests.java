package dev.roomgate.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.roomgate.RoomgateApplication;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutting down lets a request that is already being answered finish, instead of cutting it off. */
class GracefulShutdownTests {

    @Test
    void aRequestInFlightWhenShutdownStartsStillGetsItsAnswer() {
        try (ProviderEmulators emulators = ProviderEmulators.start()) {
            emulators.plugNmeet.delay(Duration.ofMillis(1500));
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                    "--spring.profiles.active=text-logs"));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(RoomgateApplication.class)
                .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                    .addLast(new MapPropertySource("emulators", new LinkedHashMap<>(
                            emulators.roomgateProperties()))))
                .run(args.toArray(String[]::new));
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            Mono<Integer> inFlight = HttpClient.create()
                .headers(headers -> headers.set("X-API-Key", ProviderEmulators.API_KEY))
                .get()
                .uri("http://127.0.0.1:" + port + "/v1/rooms/" + DemoRooms.DEMO_STANDUP + "?participants=false")
                .responseSingle((response, body) -> body.asString().thenReturn(response.status().code()))
                .cache();
            inFlight.subscribe();
            // Close while the answer is still waiting for the slow provider, off the test thread as a signal would.
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                sleep(500);
                context.close();
            });

            StepVerifier.create(inFlight).expectNext(200).expectComplete().verify(Duration.ofSeconds(15));
            closing.join();
            assertThat(context.isActive()).isFalse();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
