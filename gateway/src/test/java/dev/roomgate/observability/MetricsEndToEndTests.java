package dev.roomgate.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator scrapes and asks after real traffic, and what must never be exposed. */
class MetricsEndToEndTests extends RoomgateIntegrationTest {

    static final List<String> ROOMS = List.of(DemoRooms.DEMO_STANDUP, DemoRooms.TOWN_HALL, DemoRooms.TENCENT_ONLY,
            "no-such-room-4711");

    private String scrape() {
        return management.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void afterTrafficTheScrapeHasPerProviderSeriesAndNoRoomIds() {
        ROOMS.forEach(room -> client.get().uri("/v1/rooms/{id}", room).exchange().expectBody().returnResult());
        emulators.tencent.failWith(500, null);
        client.get().uri("/v1/rooms/{id}?participants=false", "fresh-room-after-failure").exchange()
            .expectBody().returnResult();

        String metrics = scrape();

        assertThat(metrics).contains("roomgate_aggregate_requests_seconds_count{outcome=\"complete\",status=\"2xx\"}",
                "roomgate_aggregate_requests_seconds_count{outcome=\"not_found\",status=\"4xx\"}",
                "roomgate_aggregate_requests_seconds_bucket{", "roomgate_overhead_seconds_count",
                "roomgate_provider_calls_seconds_bucket{api=\"get_member_list\"",
                "roomgate_provider_calls_seconds_count{api=\"getActiveRoomInfo\",outcome=\"ok\",provider=\"plugnmeet-demo\"",
                "outcome=\"upstream_error\",provider=\"tencent-demo\"",
                "roomgate_provider_results_total{provider=\"videosdk-demo\",source=\"upstream\",status=\"ok\"",
                "roomgate_provider_retries_total{provider=\"tencent-demo\"}", "roomgate_quota_waiting{",
                "resilience4j_circuitbreaker_state{");
        assertEveryReferencedMetricExists(metrics);
        Matcher labelValues = Pattern.compile("=\"([^\"]*)\"").matcher(metrics);
        while (labelValues.find()) {
            String value = labelValues.group(1);
            for (String room : ROOMS) {
                assertThat(value).as("a label value").doesNotContain(room);
            }
            // The endpoint's pattern (http_server_requests' uri="/v1/rooms/**") is fine; a concrete path is not.
            assertThat(value).doesNotContain("fresh-room-after-failure").doesNotContainPattern("/v1/rooms/[^*]");
        }
    }

    /** Every metric the dashboard and the alert rules query is one the application really exports. */
    static final String CLUSTER_ONLY = "roomgate_cluster_";

    private static void assertEveryReferencedMetricExists(String metrics) {
        Set<String> exported = new HashSet<>();
        metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
            .map(line -> line.split("[{ ]", 2)[0])
            .forEach(exported::add);
        for (String file : List.of("grafana-dashboard.json", "alerts.yml", "prometheus-rule.yaml")) {
            String text;
            try {
                text = Files.readString(MonitoringFilesTests.MONITORING.resolve(file));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            Matcher names = Pattern.compile("\\b((?:roomgate|resilience4j)_[a-z0-9_]+)").matcher(text);
            int referenced = 0;
            while (names.find()) {
                referenced++;
                if (names.group(1).startsWith(CLUSTER_ONLY)) {
                    // Exported in cluster mode only: ClusterModeEndToEndTests checks these on a replica's scrape.
                    continue;
                }
                assertThat(exported).as(file + " queries " + names.group(1)).contains(names.group(1));
            }
            assertThat(referenced).as(file).isGreaterThan(3);
        }
    }

    @Test
    void providersListsEveryInstanceWithItsLiveStateAndNoSecrets() {
        client.get().uri("/v1/providers").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("Cache-Control", "no-store")
            .expectBody()
            .jsonPath("$.providers[*].provider").isEqualTo(List.of("plugnmeet-demo", "tencent-demo", "videosdk-demo",
                    DISABLED_INSTANCE))
            .jsonPath("$.providers[0].enabled").isEqualTo(true)
            .jsonPath("$.providers[0].circuitBreaker").isEqualTo("closed")
            .jsonPath("$.providers[0].quota.limit").isEqualTo(200)
            .jsonPath("$.providers[0].quota.available").isNumber()
            .jsonPath("$.providers[3].enabled").isEqualTo(false)
            .jsonPath("$.providers[3].circuitBreaker").isEmpty();
        String raw = client.get().uri("/v1/providers").exchange()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).doesNotContain(DemoRooms.PLUGNMEET_API_SECRET, DemoRooms.TENCENT_SECRET_KEY,
                DemoRooms.VIDEOSDK_SECRET, DISABLED_INSTANCE_SECRET, "127.0.0.1", "off.example.com");
    }

    @Test
    void dangerousActuatorEndpointsAreExposedNowhere() {
        for (int onPort : new int[] { port, managementPort }) {
            for (String path : List.of("/actuator/env", "/actuator/heapdump", "/actuator/gateway",
                    "/actuator/gateway/routes", "/actuator/configprops", "/actuator/threaddump",
                    "/actuator/beans")) {
                ProviderEmulators.clientFor(onPort).get().uri(path).exchange().expectStatus().isNotFound();
            }
        }
        management.get().uri("/actuator/health/liveness").exchange()
            .expectStatus().isOk();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
    }
}
