package dev.roomgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.roomgate.config.RoomgateProperties.AggregateProperties;
import dev.roomgate.config.RoomgateProperties.ClientRateLimitProperties;
import dev.roomgate.config.RoomgateProperties.ClusterProperties;
import dev.roomgate.config.RoomgateProperties.CredentialProperties;
import dev.roomgate.config.RoomgateProperties.ProviderProperties;
import dev.roomgate.config.RoomgateProperties.RateLimit;
import dev.roomgate.config.RoomgateProperties.Retry;
import dev.roomgate.support.ConfigurationValidation;

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
        return new ProviderProperties(type, url, true, Duration.ofSeconds(2), new RateLimit(200, 1000), RETRY, BREAKER, 100,
                credentials);
    }

    private static RoomgateProperties properties(Map<String, ProviderProperties> providers) {
        return new RoomgateProperties(providers, new AggregateProperties(Duration.ofSeconds(3), 4096), CACHE, SECURITY, CLIENT_LIMIT, CLUSTER);
    }

    /** Validated as binding validates, then mapped: what start-up does with the bound records. */
    private static ProviderInstances valid(RoomgateProperties properties) {
        return ProviderInstances.from(ConfigurationValidation.check(properties));
    }

    private static String assertRejected(Map<String, ProviderProperties> providers, String key) {
        return assertRejected(properties(providers), key);
    }

    /** Exactly one error, on {@code key}, as one line; returns that line. */
    private static String assertRejected(RoomgateProperties properties, String key) {
        assertThatThrownBy(() -> ConfigurationValidation.check(properties))
            .isInstanceOf(BindValidationException.class);
        List<String> errors = ConfigurationValidation.errors(properties);
        assertThat(errors).as("errors of " + key).hasSize(1);
        assertThat(errors.get(0)).startsWith(key + ": ").doesNotContain("\n");
        return errors.get(0);
    }

    @Test
    void keepsTheConfiguredOrderAndTypes() {
        Map<String, ProviderProperties> providers = new LinkedHashMap<>();
        providers.put("videosdk-main", provider("videosdk", "https://api.videosdk.test",
                new CredentialProperties("vkey-value", null, null, null, null, "vsecret-value")));
        providers.put("plugnmeet-eu", provider("plugnmeet", "https://meet.example.com/", PLUGNMEET));
        providers.put("tencent-sg", provider("tencent", "https://adminapisgp.example.com",
                new CredentialProperties(null, null, "1400000000", "administrator", "tencent-key-value", null)));

        ProviderInstances instances = valid(properties(providers));

        assertThat(instances.enabled()).extracting(ProviderInstance::name)
            .containsExactly("videosdk-main", "plugnmeet-eu", "tencent-sg");
        assertThat(instances.find("plugnmeet-eu").orElseThrow().baseUrl()).hasToString("https://meet.example.com");
        assertThat(instances.find("tencent-sg").orElseThrow().credentials())
            .isEqualTo(instances.find("tencent-sg").orElseThrow().credentials())
            .isInstanceOf(ProviderCredentials.Tencent.class);
    }

    @Test
    void aListingsOwnLimitIsTencentsTenByDefaultAndTheQuotaElsewhere() {
        Map<String, ProviderProperties> providers = new LinkedHashMap<>();
        providers.put("videosdk-main", provider("videosdk", "https://api.videosdk.test",
                new CredentialProperties("vkey-value", null, null, null, null, "vsecret-value")));
        providers.put("tencent-sg", provider("tencent", "https://adminapisgp.example.com",
                new CredentialProperties(null, null, "1400000000", "administrator", "tencent-key-value", null)));
        ProviderProperties set = provider("plugnmeet", "https://meet.example.com/", PLUGNMEET);
        providers.put("plugnmeet-eu", new ProviderProperties(set.type(), set.baseUrl(), true, set.timeout(),
                set.rateLimit(), set.retry(), set.circuitBreaker(), set.maxConcurrentCalls(), set.credentials(),
                new RoomgateProperties.ListRateLimit(5)));

        ProviderInstances instances = valid(properties(providers));

        assertThat(instances.find("tencent-sg").orElseThrow().listRequestsPerSecond()).isEqualTo(10);
        assertThat(instances.find("videosdk-main").orElseThrow().listRequestsPerSecond()).isEqualTo(200);
        assertThat(instances.find("plugnmeet-eu").orElseThrow().listRequestsPerSecond()).isEqualTo(5);
    }

    @Test
    void anyNumberOfInstancesOfOneType() {
        Map<String, ProviderProperties> providers = new LinkedHashMap<>();
        providers.put("plugnmeet-eu", provider("plugnmeet", "https://eu.example.com", PLUGNMEET));
        providers.put("plugnmeet-us", provider("plugnmeet", "https://us.example.com", PLUGNMEET));
        assertThat(valid(properties(providers)).enabled()).hasSize(2);
    }

    @Test
    void rejectsAnUnknownType() {
        assertRejected(Map.of("zoom-1", provider("zoom", "https://zoom.example.com", PLUGNMEET)),
                "roomgate.providers.zoom-1.type");
        assertThat(ConfigurationValidation.errors(properties(Map.of("zoom-1",
                provider("zoom", "https://zoom.example.com", PLUGNMEET)))))
            .containsExactly("roomgate.providers.zoom-1.type: unknown type; expected plugnmeet, tencent or videosdk");
    }

    @Test
    void aMissingTypeIsOneLine() {
        for (String type : new String[] { null, "", "  " }) {
            assertThat(assertRejected(Map.of("p1", provider(type, "https://meet.example.com", PLUGNMEET)),
                    "roomgate.providers.p1.type"))
                .as("type [%s]", type)
                .isEqualTo("roomgate.providers.p1.type: is required");
        }
    }

    @Test
    void blanksAroundValuesAreIgnored() {
        ProviderInstance instance = valid(properties(Map.of("p1", provider(" plugnmeet ",
                " https://meet.example.com/ ", new CredentialProperties(" plugnmeet-key ", " secret ", null, null,
                        null, null))))).enabled().get(0);
        assertThat(instance.type()).isEqualTo(dev.roomgate.schema.ProviderType.PLUGNMEET);
        assertThat(instance.baseUrl()).hasToString("https://meet.example.com");
        ProviderCredentials.PlugNmeet credentials = (ProviderCredentials.PlugNmeet) instance.credentials();
        assertThat(credentials.apiKey()).isEqualTo("plugnmeet-key");
        assertThat(new String(credentials.apiSecret().utf8(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("secret");
    }

    @Test
    void rejectsAMissingCredentialNamingIt() {
        CredentialProperties noSecret = new CredentialProperties("key-value", null, null, null, null, null);
        assertRejected(Map.of("p1", provider("plugnmeet", "https://meet.example.com", noSecret)),
                "roomgate.providers.p1.credentials.api-secret");
        CredentialProperties tencent = new CredentialProperties(null, null, "not-a-number", "admin", "k", null);
        assertThat(assertRejected(Map.of("t1", provider("tencent", "https://t.example.com", tencent)),
                "roomgate.providers.t1.credentials.sdk-app-id"))
            .isEqualTo("roomgate.providers.t1.credentials.sdk-app-id: must be a positive integer");
        CredentialProperties negative = new CredentialProperties(null, null, "-1", "admin", "k", null);
        assertRejected(Map.of("t1", provider("tencent", "https://t.example.com", negative)),
                "roomgate.providers.t1.credentials.sdk-app-id");
        CredentialProperties noIdentifier = new CredentialProperties(null, null, "1400000000", " ", "k", null);
        assertThat(assertRejected(Map.of("t1", provider("tencent", "https://t.example.com", noIdentifier)),
                "roomgate.providers.t1.credentials.identifier"))
            .isEqualTo("roomgate.providers.t1.credentials.identifier: is required");
        CredentialProperties noVideoSdkSecret = new CredentialProperties("vkey", null, null, null, null, null);
        assertRejected(Map.of("v1", provider("videosdk", "https://v.example.com", noVideoSdkSecret)),
                "roomgate.providers.v1.credentials.secret");
    }

    @Test
    void everyMissingCredentialIsNamed() {
        CredentialProperties none = new CredentialProperties(null, null, null, null, null, null);
        assertThat(ConfigurationValidation.errors(properties(Map.of("t1",
                provider("tencent", "https://t.example.com", none)))))
            .containsExactly("roomgate.providers.t1.credentials.identifier: is required",
                    "roomgate.providers.t1.credentials.sdk-app-id: is required",
                    "roomgate.providers.t1.credentials.secret-key: is required");
    }

    @Test
    void rejectsBadUrls() {
        assertRejected(Map.of("p1", provider("plugnmeet", "ftp://meet.example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
        assertRejected(Map.of("p1", provider("plugnmeet", "meet.example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
        assertRejected(Map.of("p1", provider("plugnmeet", "https://user:pw@meet.example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url");
        assertThat(assertRejected(Map.of("p1", provider("plugnmeet", "https://meet example.com", PLUGNMEET)),
                "roomgate.providers.p1.base-url"))
            .isEqualTo("roomgate.providers.p1.base-url: is not a valid URL");
        assertThat(assertRejected(Map.of("p1", provider("plugnmeet", "https://meet.example.com/?a=1", PLUGNMEET)),
                "roomgate.providers.p1.base-url"))
            .isEqualTo("roomgate.providers.p1.base-url: "
                    + "must be an absolute http(s) URL without user info, query or fragment");
        assertThat(assertRejected(Map.of("p1", provider("plugnmeet", " ", PLUGNMEET)),
                "roomgate.providers.p1.base-url"))
            .isEqualTo("roomgate.providers.p1.base-url: is required");
    }

    @Test
    void rejectsBadInstanceNames() {
        assertThat(assertRejected(Map.of("Plug_1", provider("plugnmeet", "https://meet.example.com", PLUGNMEET)),
                "roomgate.providers.Plug_1"))
            .isEqualTo("roomgate.providers.Plug_1: "
                    + "instance name must match ^[a-z0-9][a-z0-9-]{0,31}$ (lower-case letters, digits, dashes)");
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
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                cluster(0, "roomgate", Duration.ofMillis(100))), "roomgate.cluster.expected-replicas"))
            .isEqualTo("roomgate.cluster.expected-replicas: must be at least 1");
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                cluster(2, "room gate", Duration.ofMillis(100))), "roomgate.cluster.key-prefix"))
            .isEqualTo("roomgate.cluster.key-prefix: must be 1 to 64 letters, digits, dots, dashes or underscores");
        assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                cluster(2, null, Duration.ofMillis(100))), "roomgate.cluster.key-prefix");
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                cluster(2, "roomgate", Duration.ofSeconds(2))), "roomgate.cluster.lease-for"))
            .isEqualTo("roomgate.cluster.lease-for: must be at most 500ms");
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                cluster(2, "roomgate", Duration.ofMillis(50))), "roomgate.cluster.lease-for"))
            .startsWith("roomgate.cluster.lease-for: must be longer than roomgate.cluster.redis-timeout");
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                cluster(2, "roomgate", null)), "roomgate.cluster.lease-for"))
            .isEqualTo("roomgate.cluster.lease-for: must be a positive duration such as 2s");
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                new ClientRateLimitProperties(true, 50, 10), CLUSTER), "roomgate.client-rate-limit.burst"))
            .isEqualTo("roomgate.client-rate-limit.burst: must be at least 50");
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY,
                new ClientRateLimitProperties(true, 0, 10), CLUSTER), "roomgate.client-rate-limit.requests-per-second"))
            .isEqualTo("roomgate.client-rate-limit.requests-per-second: must be at least 1");
        ClusterProperties manyLeased = new ClusterProperties(true, 1, "roomgate", Duration.ofMillis(50),
                Duration.ofSeconds(1), Duration.ofMillis(100), 101, Duration.ofMillis(500));
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, CACHE, SECURITY, CLIENT_LIMIT,
                manyLeased), "roomgate.cluster.max-lease"))
            .isEqualTo("roomgate.cluster.max-lease: must be between 1 and 100");
    }

    @Test
    void rejectsAggregateLimitsThatCannotWork() {
        Map<String, ProviderProperties> providers = Map.of("p1",
                provider("plugnmeet", "https://meet.example.com", PLUGNMEET));
        assertThat(assertRejected(new RoomgateProperties(providers, new AggregateProperties(Duration.ZERO, 4096),
                CACHE, SECURITY, CLIENT_LIMIT, CLUSTER), "roomgate.aggregate.timeout"))
            .isEqualTo("roomgate.aggregate.timeout: must be a positive duration such as 2s");
        assertThat(assertRejected(new RoomgateProperties(providers,
                new AggregateProperties(Duration.ofSeconds(1), -1), CACHE, SECURITY, CLIENT_LIMIT, CLUSTER),
                "roomgate.aggregate.max-body-bytes"))
            .isEqualTo("roomgate.aggregate.max-body-bytes: must be at least 1024");
    }

    @Test
    void rejectsCacheTimesThatCannotWork() {
        Map<String, ProviderProperties> providers = Map.of("p1",
                provider("plugnmeet", "https://meet.example.com", PLUGNMEET));
        AggregateProperties aggregate = new AggregateProperties(Duration.ofSeconds(3), 4096);
        RoomgateProperties.CacheProperties noStale = new RoomgateProperties.CacheProperties(true,
                Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(-1), 10_000);
        assertThat(assertRejected(new RoomgateProperties(providers, aggregate, noStale, SECURITY, CLIENT_LIMIT,
                CLUSTER), "roomgate.cache.max-stale"))
            .isEqualTo("roomgate.cache.max-stale: must be a duration of zero or more, such as 2s");
    }

    @Test
    void rejectsBadNumbers() {
        ProviderProperties zeroRate = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(0, 1000), RETRY, BREAKER, 100, PLUGNMEET);
        assertRejected(Map.of("p1", zeroRate), "roomgate.providers.p1.rate-limit.requests-per-second");
        ProviderProperties hugeRate = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(1_000_000, 1000), RETRY, BREAKER, 100, PLUGNMEET);
        assertRejected(Map.of("p1", hugeRate), "roomgate.providers.p1.rate-limit.requests-per-second");
        ProviderProperties noTime = new ProviderProperties("plugnmeet", "https://m.example.com", true, Duration.ZERO,
                new RateLimit(1, 1000), RETRY, BREAKER, 100, PLUGNMEET);
        assertRejected(Map.of("p1", noTime), "roomgate.providers.p1.timeout");
        ProviderProperties badRetry = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(1, 1000), new Retry(3, Duration.ofSeconds(1), 101, 10), BREAKER, 100,
                PLUGNMEET);
        assertThat(assertRejected(Map.of("p1", badRetry), "roomgate.providers.p1.retry.budget-percent"))
            .isEqualTo("roomgate.providers.p1.retry.budget-percent: must be between 0 and 100");
        ProviderProperties lateVerdict = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(1, 1000), RETRY,
                new RoomgateProperties.CircuitBreaker(20, 21, 50, Duration.ofSeconds(15), 2), 100, PLUGNMEET);
        assertThat(assertRejected(Map.of("p1", lateVerdict), "roomgate.providers.p1.circuit-breaker.minimum-calls"))
            .isEqualTo("roomgate.providers.p1.circuit-breaker.minimum-calls: must be between 1 and 20");
        ProviderProperties noWindow = new ProviderProperties("plugnmeet", "https://m.example.com", true,
                Duration.ofSeconds(2), new RateLimit(1, 1000), RETRY,
                new RoomgateProperties.CircuitBreaker(0, 10, 50, Duration.ofSeconds(15), 2), 100, PLUGNMEET);
        assertThat(assertRejected(Map.of("p1", noWindow), "roomgate.providers.p1.circuit-breaker.window"))
            .isEqualTo("roomgate.providers.p1.circuit-breaker.window: must be at least 1");
    }

    @Test
    void reportsEveryErrorAtOnceOneLineEach() {
        ProviderProperties broken = new ProviderProperties("plugnmeet", "ftp://meet.example.com", true,
                Duration.ZERO, new RateLimit(0, 1000), RETRY, BREAKER, 0,
                new CredentialProperties("key-value", null, null, null, null, null));
        RoomgateProperties properties = new RoomgateProperties(Map.of("p1", broken),
                new AggregateProperties(Duration.ofSeconds(3), 4096), CACHE, SECURITY,
                new ClientRateLimitProperties(true, 50, 10), cluster(0, "roomgate", Duration.ofMillis(100)));
        assertThat(ConfigurationValidation.errors(properties)).containsExactly(
                "roomgate.client-rate-limit.burst: must be at least 50",
                "roomgate.cluster.expected-replicas: must be at least 1",
                "roomgate.providers.p1.base-url: must be an absolute http(s) URL without user info, query or fragment",
                "roomgate.providers.p1.credentials.api-secret: is required",
                "roomgate.providers.p1.max-concurrent-calls: must be at least 1",
                "roomgate.providers.p1.rate-limit.requests-per-second: must be between 1 and 100000",
                "roomgate.providers.p1.timeout: must be a positive duration such as 2s");

        BindValidationException failure = (BindValidationException) org.assertj.core.api.Assertions
            .catchThrowable(() -> ConfigurationValidation.check(properties));
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription().lines()).hasSize(7)
            .allSatisfy(line -> assertThat(line).startsWith("Invalid Roomgate configuration: roomgate."))
            .contains("Invalid Roomgate configuration: roomgate.providers.p1.credentials.api-secret: is required");
        assertThat(analysis.getAction()).startsWith("Correct roomgate.client-rate-limit.burst, ");
        assertThat(analysis.getCause()).isNull();
    }

    @Test
    void theFailureReportQuotesNoValue() {
        CredentialProperties credentials = new CredentialProperties("key-value-1234", "api-secret-value-5678",
                "sdk-app-id-value-0000", null, null, null);
        ProviderProperties leaky = provider("plugnmeet", "https://user:password-value-9999@meet.example.com",
                credentials);
        ProviderProperties tencent = provider("tencent", "https://t.example.com", credentials);
        RoomgateProperties properties = properties(Map.of("p1", leaky, "t1", tencent));
        BindValidationException failure = (BindValidationException) org.assertj.core.api.Assertions
            .catchThrowable(() -> ConfigurationValidation.check(properties));
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("roomgate.providers.p1.base-url",
                "roomgate.providers.t1.credentials.sdk-app-id: must be a positive integer",
                "roomgate.providers.t1.credentials.secret-key: is required");
        for (String text : List.of(analysis.getDescription(), analysis.getAction())) {
            assertThat(text).doesNotContain("key-value-1234", "api-secret-value-5678", "sdk-app-id-value-0000",
                    "password-value-9999", "user:");
        }
    }

    @Test
    void checksOutsideBindingAreReportedTheSameWay() {
        InvalidConfigurationException invalid = new InvalidConfigurationException("roomgate.providers.plug main",
                "instance name must match");
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer()
            .analyze(new IllegalStateException("wrapped", invalid));
        assertThat(analysis.getDescription())
            .isEqualTo("Invalid Roomgate configuration: roomgate.providers.plug main: instance name must match");
        assertThat(new InvalidConfigurationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
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
        ProviderInstance instance = valid(properties(providers)).enabled().get(0);
        assertThat(instance.toString()).doesNotContain("plugnmeet-secret-value");
        assertThat(Secret.of("s3cr3t-value").toString()).isEqualTo("[redacted]");
    }
}
