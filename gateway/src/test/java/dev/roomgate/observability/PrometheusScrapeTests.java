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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.Await;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus server (Debian's prometheus package; .ci/run installs it) scrapes the management port, and its
 * own query API then shows the target up and Roomgate's series with their provider label.
 */
class PrometheusScrapeTests extends RoomgateIntegrationTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void prometheusScrapesTheManagementPortAndSeesProviderSeries(@TempDir Path dir) throws Exception {
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange()
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
        // An IOException is "not yet": Prometheus is still starting.
        return Await.value("a result for " + url, () -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            // Anything but 200 (a 503 while its storage starts) is "not yet" too, and has no JSON to read.
            return response.statusCode() == 200 ? json.readTree(response.body()).path("data").path("result")
                    : json.createArrayNode();
        }, result -> result.isArray() && !result.isEmpty(), PATIENCE);
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
