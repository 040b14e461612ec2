package dev.roomgate.resilience;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.RawHttpServer;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fourth provider instance that misbehaves in every way a socket can: the gateway answers each request within the
 * budget with the other providers' data, stays ready, and exports what its policies did.
 */
class FaultyProviderEndToEndTests extends RoomgateIntegrationTest {

    static final RawHttpServer faulty = faultyServer();

    static final Duration BUDGET = Duration.ofMillis(1500);

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        String p = "roomgate.providers.videosdk-faulty.";
        registry.add(p + "type", () -> "videosdk");
        registry.add(p + "base-url", faulty::baseUrl);
        registry.add(p + "timeout", () -> BUDGET.toMillis() + "ms");
        registry.add(p + "retry.attempt-timeout", () -> "500ms");
        registry.add(p + "credentials.api-key", () -> DemoRooms.VIDEOSDK_API_KEY);
        registry.add(p + "credentials.secret", () -> DemoRooms.VIDEOSDK_SECRET);
        registry.add("roomgate.aggregate.max-body-bytes", () -> Integer.toString(1024 * 1024));
    }

    @AfterAll
    static void stop() throws IOException {
        faulty.close();
    }

    /** Cycles through a reset, a malformed chunk, a dribbled body and a 30 MB body. */
    private static RawHttpServer faultyServer() {
        int[] next = { 0 };
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        try {
            return new RawHttpServer((socket, out) -> {
                switch (next[0]++ % 4) {
                    case 0 -> {
                        socket.setSoLinger(true, 0);
                        socket.close();
                    }
                    case 1 -> {
                        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot-a-size\r\n");
                        socket.close();
                    }
                    case 2 -> {
                        write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{");
                        RawHttpServer.dribble(out, 499, Duration.ofMillis(50));
                    }
                    default -> {
                        long size = 30L * 1024 * 1024;
                        write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + size
                                + "\r\n\r\n");
                        for (long sent = 0; sent < size; sent += chunk.length) {
                            out.write(chunk);
                        }
                    }
                }
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void misbehavingProviderNeverTakesTheGatewayDown() {
        for (int i = 0; i < 8; i++) {
            client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Aggregation-Complete", "false")
                .expectBody()
                .jsonPath("$.rooms.length()").isEqualTo(3)
                .jsonPath("$.providers[?(@.provider == 'videosdk-faulty')].status").value(statuses -> assertThat(
                        (List<?>) statuses).singleElement().isIn("upstream_error", "timeout", "invalid_response",
                                "circuit_open"));
        }

        management.get().uri("/actuator/health/readiness").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
        String metrics = management.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{", "name=\"videosdk-faulty\"",
                "resilience4j_bulkhead_available_concurrent_calls{", "roomgate_quota_available{",
                "roomgate_quota_late_margin_seconds{",
                "roomgate_quota_rejections_total{", "roomgate_retry_budget_exhausted_total{");
        for (String line : List.of("provider=\"plugnmeet-demo\"", "provider=\"videosdk-faulty\"")) {
            assertThat(metrics).contains(line);
        }
    }
}
