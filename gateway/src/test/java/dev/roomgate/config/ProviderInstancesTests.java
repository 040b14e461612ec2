package dev.roomgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.roomgate.config.RoomgateProperties.AggregateProperties;
import dev.roomgate.config.RoomgateProperties.ClientRateLimitProperties;
import dev.roomgate.config.RoomgateProperties.ClusterProperties;
import dev.roomgate.config.RoomgateProperties.CredentialProperties;
import dev.roomgate.config.RoomgateProperties.ProviderProperties;
import dev.roomgate.config.RoomgateProperties.RateLimit;
import dev.roomgate.config.RoomgateProperties.Retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderInstancesTests {

    private static final CredentialProperties PLUGNMEET = new CredentialProperties("plugnmeet-key",
            "plugnmeet-secret-value", null, null, null, null);

    private static final RoomgateProperties.CacheProperties CACHE = new RoomgateProperties.CacheProperties(true,
            Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30), 10_000);

    private static final RoomgateProperties.SecurityProperties SECURITY = new RoomgateProperties.SecurityProperties(
            false, List.of(), List.of(), new RoomgateProperties.JwtProperties(null, null, "roomgate",
                    Duration.ofSeconds(2), Duration.ofSeconds(30)),
            new RoomgateProperties.FailedAttemptsProperties(5, 20));

    private static final Retry RETRY = new Retry(3, Duration.ofSeconds(1), 20, 10);

    private static final RoomgateProperties.CircuitBreaker BREAKER = new RoomgateProperties.CircuitBreaker(20, 10, 50,
            Duration.ofSeconds(15), 2);

    static final ClientRateLimitProperties CLIENT_LIMIT = new ClientRateLimitProperties(true, 50, 100);

    static final ClusterProperties CLUSTER = cluster(1, "roomgate", Duration.ofMillis(100));

    private static ClusterProperties cluster(int replicas, String prefix, Duration leaseFor) {
        return new ClusterProperties(true, replicas, prefix, Duration.ofMillis(50), Duration.ofSeconds(1), leaseFor, 10,
                Duration.ofMillis(500));
    }

    private static ProviderProperties provider(String type, String url, CredentialProperties credentials) {
        return new ProviderProperties(type, url, true, Duration.ofSeconds(2), new RateLimit(200), RETRY, BREAKER, 100,
                credentials);
    }

    private static RoomgateProperties properties(Map<String, ProviderProperties> providers) {
        return new RoomgateProperties(providers, new AggregateProperties(Duration.ofSeconds(3), 4096), CACHE, SECURITY, CLIENT_LIMIT, CLUSTER);
    }

    private static void assertRejected(Map<String, ProviderProperties> providers, String key) {
        assertThatThrownBy(() -> ProviderInstances.from(properties(providers)))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageStartingWith(key + ": ")
            .hasMessageNotContaining("\n")
            .satisfies(ex -> assertThat(((InvalidConfigurationException) ex).key()).isEqualTo(key));
    }

    @Test
    void keepsTheConfiguredOrderAndTypes() {
        Map<String, ProviderProperties> providers = new LinkedHashMap<>();
        providers.put("videosdk-main", provider("videosdk", "https://api.videosdk.test",
                new CredentialProperties("vkey-value", null, null, null, null, "vsecret-value")));
        providers.put("plugnmeet-eu", provider("plugnmeet", "https://meet.example.com/", PLUGNMEET));
        providers.put("tencent-sg", provider("tencent", "https://adminapisgp.example.com",
                new CredentialProperties(null, null, "1400000000", "administrator", "tencent-key-value", null)));

        ProviderInstances instances = ProviderInstances.from(properties(providers));

        assertThat(instances.enabled()).extracting(ProviderInstance::name)
            .containsExactly("videosdk-main", "plugnmeet-eu", "tencent-sg");
        assertThat(instances.find("plugnmeet-eu").orElseThrow().baseUrl()).hasToString("https://meet.example.com");
        assertThat(instances.find("tencent-sg").orElseThrow().credentials())
            .isEqualTo(instances.find("tencent-sg").orElseThrow().credentials())
            .isInstanceOf(ProviderCredentials.Tencent.class);
    }

    @Test
    void anyNumberOfInstancesOfOneType() {
        Map<String, ProviderProperties> providers = new LinkedHashMap<>();
        providers.put("plugnmeet-eu", provider("plugnmeet", "https://eu.example.com", PLUGNMEET));
        providers.put("plugnmeet-us", provider("plugnmeet", "https://us.example.com", PLUGNMEET));
        assertThat(ProviderInstances.from(properties(providers)).enabled()).hasSize(2);
    }

    @Test
    void rejectsAnUnknownType() {
        assertRejected(Map.of("zoom-1", provider("zoom", "https://zoom.example.com", PLUGNMEET)),
                "roomgate.providers.zoom-1.type");
    }

    @Test
    void rejectsAMissingCredentialNamingIt() {
        CredentialProperties noSecret = new CredentialProperties("key-value", null, null, null, null, null);
        assertRejected(Map.of("p1", provider("plugnmeet", "https://meet.example.com", noSecret)),
                "roomgate.providers.p1.credentials.api-secret");
        CredentialProperties tencent = new CredentialProperties(null, null, "not-a-number", "admin", "k", null);
        assertRejected(Map.of("t1", provider("tencent", "https://t.example.com", tencent)),
                "roomgate.providers.t1.credentials.sdk-app-id");
    }

    @Test
    void rejectsBadUrls() {
        assertRejected(Map.of("p1", provider("plugnmeet", "ftp://meet.example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
        assertRejected(Map.of("p1", provider("plugnmeet", "meet.example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
        assertRejected(Map.of("p1", provider("plugnmeet", "https://user:pw@meet.example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
        assertRejected(Map.of("p1", provider("plugnmeet", "https://meet example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
    }

    @Test
    void rejectsBadInstanceNames() {
        assertRejected(Map.of("Plug_1", provider("plugnmeet", "https://meet.example.com", PLUGNMEET)),
                "roomgate.providers.Plug_1");
    }

    @Test
    void rejectsNamesThatBindingWouldQuietlyRewrite() {
        for (String property : List.of("roomgate.providers.plug main.type", "roomgate.providers.-plug.type",
                "roomgate.providers[plug@main].base-url", "roomgate.providers.Plug.credentials.api-key",
                "roomgate.providers.plug$main[0]")) {
            assertThatThrownBy(() -> ProviderInstances.checkRawNames(List.of("server.port", property)))
                .as(property)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("instance name must match")
                .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> ProviderInstances.checkRawNames(List.of("roomgate.providers.plug main.type")))
            .hasMessageStartingWith("roomgate.providers.plug main: ");
    }

    @Test
    void acceptsWellFormedRawNamesAndIgnoresOtherKeys() {
        ProviderInstances.checkRawNames(List.of("roomgate.providers.plugnmeet-eu.type",
                "roomgate.providers[tencent-sg].credentials.secret-key", "roomgate.aggregate.timeout",
                "roomgate.providersx", "spring.application.name"));
    }

    @Test
    void rejectsClusterAndClientLimitSettingsThatCannotWork() {
        Map<String, ProviderProperties> providers = Map.of("p1",
                provider("plugnmeet", "https://meet.example.com", PLUGNMEET));
        AggregateProperties aggregate = new AggregateProperties(Duration.ofSeconds(3), 4096);
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                CLIENT_LIMIT, cluster(0, "roomgate", Duration.ofMillis(100)))))
            .hasMessageStartingWith("roomgate.cluster.expected-replicas: ");
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                CLIENT_LIMIT, cluster(2, "room gate", Duration.ofMillis(100)))))
            .hasMessageStartingWith("roomgate.cluster.key-prefix: ");
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                CLIENT_LIMIT, cluster(2, "roomgate", Duration.ofSeconds(2)))))
            .hasMessageStartingWith("roomgate.cluster.lease-for: ");
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                CLIENT_LIMIT, cluster(2, "roomgate", Duration.ofMillis(50)))))
            .hasMessageStartingWith("roomgate.cluster.lease-for: must be longer than roomgate.cluster.redis-timeout");
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                new ClientRateLimitProperties(true, 50, 10), CLUSTER)))
            .hasMessageStartingWith("roomgate.client-rate-limit.burst: ");
    }

    @Test
    void rejectsAggregateLimitsThatCannotWork() {
        Map<String, ProviderProperties> providers = Map.of("p1",
                provider("plugnmeet", "https://meet.example.com", PLUGNMEET));
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers,
                new AggregateProperties(Duration.ZERO, 4096), CACHE, SECURITY, CLIENT_LIMIT, CLUSTER)))
            .hasMessageStartingWith("roomgate.aggregate.timeout: ");
        assertThatThrownBy(() -> ProviderInstances.from(new RoomgateProperties(providers,
                new AggregateProperties(Duration.ofSeconds(1), -1), CACHE, SECURITY, CLIENT_LIMIT, CLUSTER)))
            .hasMessageStartingWith("roomgate.aggregate.max-body-bytes: ");
    }

    @Test
    void rejectsBadNumbers() {
        ProviderProperties zeroRate = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(0), RETRY, BREAKER, 100, PLUGNMEET);
        assertRejected(Map.of("p1", zeroRate), "roomgate.providers.p1.rate-limit.requests-per-second");
        ProviderProperties hugeRate = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(1_000_000), RETRY, BREAKER, 100, PLUGNMEET);
        assertRejected(Map.of("p1", hugeRate), "roomgate.providers.p1.rate-limit.requests-per-second");
        ProviderProperties noTime = new ProviderProperties("plugnmeet", "https://m.example.com", true, Duration.ZERO,
                new RateLimit(1), RETRY, BREAKER, 100, PLUGNMEET);
        assertRejected(Map.of("p1", noTime), "roomgate.providers.p1.timeout");
    }

    @Test
    void requiresAnEnabledInstance() {
        assertRejected(Map.of(), "roomgate.providers");
    }

    @Test
    void credentialsNeverPrint() {
        assertThat(PLUGNMEET.toString()).doesNotContain("plugnmeet-secret-value", "plugnmeet-key");
        Map<String, ProviderProperties> providers = Map.of("p1",
                provider("plugnmeet", "https://meet.example.com", PLUGNMEET));
        ProviderInstance instance = ProviderInstances.from(properties(providers)).enabled().get(0);
        assertThat(instance.toString()).doesNotContain("plugnmeet-secret-value");
        assertThat(Secret.of("s3cr3t-value").toString()).isEqualTo("[redacted]");
    }
}
