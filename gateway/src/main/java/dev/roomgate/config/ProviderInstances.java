package dev.roomgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.roomgate.config.RoomgateProperties.CredentialProperties;
import dev.roomgate.config.RoomgateProperties.ProviderProperties;
import dev.roomgate.schema.ProviderType;

/** The configured provider instances, validated, in configured order. */
public final class ProviderInstances {

    private static final Pattern INSTANCE_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");

    private static final String PREFIX = "roomgate.providers";

    private final Map<String, ProviderInstance> byName;

    private ProviderInstances(Map<String, ProviderInstance> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Validates everything an operator can get wrong.
     * @throws InvalidConfigurationException naming the first offending key
     */
    public static ProviderInstances from(RoomgateProperties properties) {
        return from(properties, List.of());
    }

    /**
     * @param declaredOrder instance names in the order the operator declared them; answers list instances in this
     *        order, and any instance it does not name after them, in the order binding gave
     */
    public static ProviderInstances from(RoomgateProperties properties, List<String> declaredOrder) {
        checkAggregate(properties.aggregate());
        checkCache(properties.cache());
        checkClientRateLimit(properties.clientRateLimit());
        checkCluster(properties.cluster());
        Map<String, ProviderProperties> bound = properties.providers();
        List<String> order = new ArrayList<>();
        declaredOrder.stream().filter(bound::containsKey).forEach(order::add);
        bound.keySet().stream().filter(name -> !order.contains(name)).forEach(order::add);
        Map<String, ProviderInstance> instances = new LinkedHashMap<>();
        order.forEach(name -> instances.put(name, instance(name, bound.get(name))));
        if (instances.values().stream().noneMatch(ProviderInstance::enabled)) {
            throw new InvalidConfigurationException(PREFIX, "at least one enabled provider instance is required");
        }
        return new ProviderInstances(instances);
    }

    /**
     * Checks instance names as the operator wrote them. Binding relaxes map keys (it drops spaces and symbols, and a
     * dot nests), so {@code "plug main"} would otherwise start up as {@code plugmain}.
     *
     * @param propertyNames every property name of the configuration sources that list theirs
     */
    public static void checkRawNames(Iterable<String> propertyNames) {
        for (String property : propertyNames) {
            String raw = rawInstanceName(property);
            if (raw != null && !INSTANCE_NAME.matcher(raw).matches()) {
                throw new InvalidConfigurationException(PREFIX + "." + raw,
                        "instance name must match " + INSTANCE_NAME.pattern() + " (lower-case letters, digits, dashes)");
            }
        }
    }

    /** The instance name a property is about, exactly as written, or null for other properties. */
    static String rawInstanceName(String property) {
        if (!property.startsWith(PREFIX) || property.length() == PREFIX.length()) {
            return null;
        }
        String rest = property.substring(PREFIX.length());
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            return close < 0 ? rest.substring(1) : rest.substring(1, close);
        }
        if (!rest.startsWith(".")) {
            return null;
        }
        int end = rest.indexOf('.', 1);
        int bracket = rest.indexOf('[', 1);
        if (bracket > 0 && (end < 0 || bracket < end)) {
            end = bracket;
        }
        return end < 0 ? rest.substring(1) : rest.substring(1, end);
    }

    /** Every configured instance, enabled or not, in declared order. */
    public List<ProviderInstance> all() {
        return List.copyOf(byName.values());
    }

    public List<ProviderInstance> enabled() {
        List<ProviderInstance> enabled = new ArrayList<>();
        byName.values().stream().filter(ProviderInstance::enabled).forEach(enabled::add);
        return List.copyOf(enabled);
    }

    public Optional<ProviderInstance> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private static void checkAggregate(RoomgateProperties.AggregateProperties aggregate) {
        positive("roomgate.aggregate.timeout", aggregate.timeout());
        // Below 1 KiB no real answer fits; a negative value would mean "no limit" to the HTTP codecs.
        atLeast("roomgate.aggregate.max-body-bytes", aggregate.maxBodyBytes(), 1024);
    }

    private static void checkCache(RoomgateProperties.CacheProperties cache) {
        positive("roomgate.cache.fresh-for", cache.freshFor());
        positive("roomgate.cache.not-found-for", cache.notFoundFor());
        notNegative("roomgate.cache.refresh-window", cache.refreshWindow());
        notNegative("roomgate.cache.max-stale", cache.maxStale());
        atLeast("roomgate.cache.max-entries", cache.maxEntries(), 1);
    }

    private static void checkClientRateLimit(RoomgateProperties.ClientRateLimitProperties limit) {
        atLeast("roomgate.client-rate-limit.requests-per-second", limit.requestsPerSecond(), 1);
        atLeast("roomgate.client-rate-limit.burst", limit.burst(), limit.requestsPerSecond());
    }

    private static void checkCluster(RoomgateProperties.ClusterProperties cluster) {
        atLeast("roomgate.cluster.expected-replicas", cluster.expectedReplicas(), 1);
        if (cluster.keyPrefix() == null || !cluster.keyPrefix().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidConfigurationException("roomgate.cluster.key-prefix",
                    "must be 1 to 64 letters, digits, dots, dashes or underscores");
        }
        positive("roomgate.cluster.redis-timeout", cluster.redisTimeout());
        positive("roomgate.cluster.retry-redis-after", cluster.retryRedisAfter());
        // A lease's permits count in the shared window for their whole validity, so a long one wastes quota.
        if (positive("roomgate.cluster.lease-for", cluster.leaseFor()).compareTo(Duration.ofMillis(500)) > 0) {
            throw new InvalidConfigurationException("roomgate.cluster.lease-for", "must be at most 500ms");
        }
        if (cluster.leaseFor().compareTo(cluster.redisTimeout()) <= 0) {
            throw new InvalidConfigurationException("roomgate.cluster.lease-for",
                    "must be longer than roomgate.cluster.redis-timeout, or an answer in time may bring no usable permit");
        }
        between("roomgate.cluster.max-lease", cluster.maxLease(), 1, 100);
        positive("roomgate.cluster.coalesce-lease", cluster.coalesceLease());
    }

    private static Duration notNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidConfigurationException(key, "must be a duration of zero or more, such as 2s");
        }
        return value;
    }

    private static ProviderInstance instance(String name, ProviderProperties props) {
        String key = PREFIX + "." + name;
        if (!INSTANCE_NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException(key,
                    "instance name must match " + INSTANCE_NAME.pattern() + " (lower-case letters, digits, dashes)");
        }
        ProviderType type = ProviderType.fromWireName(required(key + ".type", props.type()))
            .orElseThrow(() -> new InvalidConfigurationException(key + ".type",
                    "unknown type; expected plugnmeet, tencent or videosdk"));
        URI baseUrl = baseUrl(key + ".base-url", props.baseUrl());
        Duration timeout = positive(key + ".timeout", props.timeout());
        // The quota remembers its last N starts (three longs each): a bound keeps that memory small.
        int rps = between(key + ".rate-limit.requests-per-second", props.rateLimit().requestsPerSecond(), 1, 100_000);
        ProviderCredentials credentials = credentials(key + ".credentials", type, props.credentials());
        return new ProviderInstance(name, type, baseUrl, props.enabled(), timeout, rps,
                retry(key + ".retry", props.retry()), breaker(key + ".circuit-breaker", props.circuitBreaker()),
                atLeast(key + ".max-concurrent-calls", props.maxConcurrentCalls(), 1), credentials);
    }

    private static ProviderInstance.RetryPolicy retry(String key, RoomgateProperties.Retry retry) {
        return new ProviderInstance.RetryPolicy(atLeast(key + ".max-attempts", retry.maxAttempts(), 1),
                positive(key + ".attempt-timeout", retry.attemptTimeout()),
                between(key + ".budget-percent", retry.budgetPercent(), 0, 100),
                atLeast(key + ".budget-min-retries", retry.budgetMinRetries(), 0));
    }

    private static ProviderInstance.BreakerPolicy breaker(String key, RoomgateProperties.CircuitBreaker breaker) {
        int window = atLeast(key + ".window", breaker.window(), 1);
        return new ProviderInstance.BreakerPolicy(window,
                between(key + ".minimum-calls", breaker.minimumCalls(), 1, window),
                between(key + ".failure-rate-percent", breaker.failureRatePercent(), 1, 100),
                positive(key + ".open-for", breaker.openFor()), atLeast(key + ".half-open-calls", breaker.halfOpenCalls(), 1));
    }

    private static int between(String key, int value, int minimum, int maximum) {
        if (value < minimum || value > maximum) {
            throw new InvalidConfigurationException(key, "must be between " + minimum + " and " + maximum);
        }
        return value;
    }

    private static ProviderCredentials credentials(String key, ProviderType type, CredentialProperties c) {
        return switch (type) {
            case PLUGNMEET -> new ProviderCredentials.PlugNmeet(required(key + ".api-key", c.apiKey()),
                    Secret.of(required(key + ".api-secret", c.apiSecret())));
            case TENCENT -> new ProviderCredentials.Tencent(sdkAppId(key + ".sdk-app-id", c.sdkAppId()),
                    required(key + ".identifier", c.identifier()),
                    Secret.of(required(key + ".secret-key", c.secretKey())));
            case VIDEOSDK -> new ProviderCredentials.VideoSdk(required(key + ".api-key", c.apiKey()),
                    Secret.of(required(key + ".secret", c.secret())));
        };
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(key, "is required");
        }
        return value.strip();
    }

    private static long sdkAppId(String key, String value) {
        String digits = required(key, value);
        try {
            long id = Long.parseLong(digits);
            if (id > 0) {
                return id;
            }
        }
        catch (NumberFormatException ignored) {
            // reported below with the key
        }
        throw new InvalidConfigurationException(key, "must be a positive integer");
    }

    private static URI baseUrl(String key, String value) {
        String text = required(key, value);
        try {
            URI uri = new URI(text);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                throw new InvalidConfigurationException(key,
                        "must be an absolute http(s) URL without user info, query or fragment");
            }
            String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            return new URI(trimmed);
        }
        catch (URISyntaxException ex) {
            throw new InvalidConfigurationException(key, "is not a valid URL");
        }
    }

    private static Duration positive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidConfigurationException(key, "must be a positive duration such as 2s");
        }
        return value;
    }

    private static int atLeast(String key, int value, int minimum) {
        if (value < minimum) {
            throw new InvalidConfigurationException(key, "must be at least " + minimum);
        }
        return value;
    }
}
