package dev.roomgate.observability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus server (Debian's prometheus package; .ci/run installs it) scrapes the management port, and its
 * own query API then shows the target up and Roomgate's series with their provider label.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusScrapeTests {

    static final ProviderEmulators emulators = ProviderEmulators.start();

    static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        emulators.register(registry);
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Test
    void prometheusScrapesTheManagementPortAndSeesProviderSeries(@TempDir Path dir) throws Exception {
        ProviderEmulators.clientFor(port).get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
            .expectStatus().isOk();
        int prometheusPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n", "global:", "  scrape_interval: 1s", "scrape_configs:",
                "  - job_name: roomgate", "    metrics_path: /actuator/prometheus", "    static_configs:",
                "      - targets: ['127.0.0.1:" + managementPort + "']", ""));
        Process prometheus;
        try {
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        }
        catch (IOException missing) {
            throw new IllegalStateException("prometheus is needed: apt-get install prometheus (see README)", missing);
        }
        try {
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
            JsonNode up = waitForResult(api + encode("up{job=\"roomgate\"} == 1"));
            assertThat(up.path(0).path("value").path(1).asString()).isEqualTo("1");
            JsonNode series = waitForResult(api + encode("roomgate_provider_results_total{provider=\"tencent-demo\"}"));
            assertThat(series.path(0).path("metric").path("provider").asString()).isEqualTo("tencent-demo");
        }
        finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Polls a Prometheus query until it has a result, within a bound. */
    private static JsonNode waitForResult(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        JsonMapper json = JsonMapper.builder().build();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode result = json.readTree(response.body()).path("data").path("result");
                if (response.statusCode() == 200 && result.isArray() && !result.isEmpty()) {
                    return result;
                }
            }
            catch (IOException notYetListening) {
                // Prometheus is still starting.
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("no result within " + PATIENCE + " for " + url);
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
