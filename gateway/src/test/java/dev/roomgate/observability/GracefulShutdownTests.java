package dev.roomgate.observability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import dev.roomgate.support.Await;
import dev.roomgate.support.OwnNettyResources;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutting down lets a request that is already being answered finish, instead of cutting it off. */
class GracefulShutdownTests {

    @Test
    void aRequestInFlightWhenShutdownStartsStillGetsItsAnswer() {
        try (ProviderEmulators emulators = ProviderEmulators.start()) {
            // plugNmeet holds its answer until the test lets it go: the request is in flight for as long as needed.
            emulators.plugNmeet.hold();
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                    "--spring.profiles.active=text-logs",
                    // Far longer than the test: neither budget may end the held call before shutdown has begun.
                    "--roomgate.aggregate.timeout=2m", "--roomgate.providers." + ProviderEmulators.PLUGNMEET
                            + ".timeout=2m", "--roomgate.providers." + ProviderEmulators.PLUGNMEET
                                    + ".retry.attempt-timeout=2m"));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(RoomgateApplication.class)
                .initializers(new OwnNettyResources())
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
            Await.until("the request waiting at plugNmeet", () -> emulators.plugNmeet.totalCalls() > 0);

            // Close while the answer is still waiting for the provider, off the test thread as a signal would.
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            // Shutdown has begun once the port takes no new connection; only then may the provider answer.
            Await.until("the main port closed to new connections", () -> !accepts(port));
            emulators.plugNmeet.release();

            StepVerifier.create(inFlight).expectNext(200).expectComplete().verify(Duration.ofSeconds(30));
            closing.join();
            assertThat(context.isActive()).isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        }
        catch (IOException refused) {
            return false;
        }
    }
}
