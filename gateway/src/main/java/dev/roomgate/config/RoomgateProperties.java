package dev.roomgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.Range;
import org.hibernate.validator.constraints.time.DurationMax;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.roomgate.config.ConfigurationConstraints.CrossFieldChecked;
import dev.roomgate.config.ConfigurationConstraints.CrossFieldRules;
import dev.roomgate.config.ConfigurationConstraints.PositiveDuration;
import dev.roomgate.config.ConfigurationConstraints.Violations;
import dev.roomgate.schema.ProviderType;

/**
 * The {@code roomgate.*} keys as operators write them, validated by Bean Validation as they are bound: a bad value
 * stops start-up with one line per error naming the exact key, never its value ({@link
 * InvalidConfigurationFailureAnalyzer}). Binding itself is deliberately lenient (plain strings, nullable values), so
 * that a wrong value is a validation error on its key rather than a conversion failure; {@link ProviderInstances#from}
 * turns the validated records into {@link ProviderInstance}s. A record whose properties bound each other states
 * those rules itself ({@link CrossFieldChecked}).
 *
 * @param providers provider instances by name, in the order they are configured
 * @param aggregate limits of one aggregated answer
 */
@Validated
@CrossFieldRules
@ConfigurationProperties("roomgate")
public record RoomgateProperties(Map<@Pattern(regexp = RoomgateProperties.INSTANCE_NAME,
        message = "instance name must match ^" + RoomgateProperties.INSTANCE_NAME_TEXT
                + "$ (lower-case letters, digits, dashes)") String, @Valid ProviderProperties> providers,
        @DefaultValue @Valid AggregateProperties aggregate, @DefaultValue @Valid CacheProperties cache,
        @DefaultValue @Valid SecurityProperties security, @DefaultValue @Valid ClientRateLimitProperties clientRateLimit,
        @DefaultValue @Valid ClusterProperties cluster) implements CrossFieldChecked {

    /** What an instance's name must match, as a whole; it appears in answers, metrics and Redis keys. */
    static final String INSTANCE_NAME = "[a-z0-9][a-z0-9-]{0,31}";

    /** {@link #INSTANCE_NAME} for a message template, where braces would be parameters. */
    private static final String INSTANCE_NAME_TEXT = "[a-z0-9][a-z0-9-]\\{0,31\\}";

    public RoomgateProperties {
        // LinkedHashMap keeps the configured order, which the contract makes the order of the answer.
        providers = providers == null ? Map.of() : new LinkedHashMap<>(providers);
    }

    /** At least one instance is configured and enabled, or Roomgate has nothing to answer with. */
    @Override
    public void checkAcrossFields(Violations violations) {
        if (providers.values().stream().noneMatch(p -> p != null && p.enabled())) {
            violations.report("at least one enabled provider instance is required", "providers");
        }
    }

    /**
     * One provider instance, as configured under {@code roomgate.providers.<name>}.
     *
     * @param type plugnmeet, tencent or videosdk
     * @param baseUrl absolute http(s) URL of the provider's API
     * @param enabled whether the instance takes part in answers
     * @param timeout budget for this instance's answer, retries and paging included
     * @param rateLimit outbound quota
     * @param retry retry policy
     * @param circuitBreaker when to stop calling a failing instance for a while
     * @param maxConcurrentCalls upstream calls in flight at once (the bulkhead, and the connection pool's size)
     * @param credentials type-specific credentials
     * @param listRateLimit the room listing's own limit: by default Tencent's 10 a second ({@code get_room_list}),
     *        and the instance's whole quota for the others, whose listings have no limit of their own
     * @param webhook the provider's webhooks in ({@code POST /webhooks/<name>}), off unless enabled
     */
    @CrossFieldRules
    public record ProviderProperties(
            // Blank is left to @NotBlank, so that a missing type is one line; surrounding blanks are ignored.
            @NotBlank(message = ConfigurationConstraints.REQUIRED) @Pattern(
                    regexp = "\\s*|\\s*(plugnmeet|tencent|videosdk)\\s*",
                    message = "unknown type; expected plugnmeet, tencent or videosdk") String type,
            @NotBlank(message = ConfigurationConstraints.REQUIRED) String baseUrl,
            @DefaultValue("true") boolean enabled, @DefaultValue("2s") @PositiveDuration Duration timeout,
            @DefaultValue @Valid RateLimit rateLimit, @DefaultValue @Valid Retry retry,
            @DefaultValue @Valid CircuitBreaker circuitBreaker,
            @DefaultValue("100") @Min(value = 1, message = "must be at least 1") int maxConcurrentCalls,
            @DefaultValue CredentialProperties credentials,
            @DefaultValue @Valid ListRateLimit listRateLimit,
            @DefaultValue @Valid WebhookProperties webhook) implements CrossFieldChecked {

        @ConstructorBinding
        public ProviderProperties {
        }

        /** An instance whose listing has the default limit of its own. */
        public ProviderProperties(String type, String baseUrl, boolean enabled, Duration timeout, RateLimit rateLimit,
                Retry retry, CircuitBreaker circuitBreaker, int maxConcurrentCalls,
                CredentialProperties credentials) {
            this(type, baseUrl, enabled, timeout, rateLimit, retry, circuitBreaker, maxConcurrentCalls, credentials,
                    new ListRateLimit(null));
        }

        /** An instance that takes no webhooks. */
        public ProviderProperties(String type, String baseUrl, boolean enabled, Duration timeout, RateLimit rateLimit,
                Retry retry, CircuitBreaker circuitBreaker, int maxConcurrentCalls, CredentialProperties credentials,
                ListRateLimit listRateLimit) {
            this(type, baseUrl, enabled, timeout, rateLimit, retry, circuitBreaker, maxConcurrentCalls, credentials,
                    listRateLimit, WebhookProperties.DISABLED);
        }

        /**
         * The base URL is an absolute http(s) URL without user info, query or fragment (Hibernate Validator's
         * {@code @URL} takes one protocol only and cannot forbid user info, a credential in the URL), and the
         * credentials the type needs are present, for its webhooks too when they are enabled.
         */
        @Override
        public void checkAcrossFields(Violations violations) {
            if (baseUrl != null && !baseUrl.isBlank()) {
                checkBaseUrl(baseUrl.strip(), violations);
            }
            // A missing or unknown type has its own line; without it nothing is known to be required.
            ProviderType known = type == null ? null : ProviderType.fromWireName(type.strip()).orElse(null);
            if (known != null) {
                Objects.requireNonNullElseGet(credentials,
                        () -> new CredentialProperties(null, null, null, null, null, null))
                    .checkFor(known, violations);
                if (webhook != null) {
                    webhook.checkFor(known, violations);
                }
            }
        }

        private static void checkBaseUrl(String url, Violations violations) {
            try {
                URI uri = new URI(url);
                boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
                if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                        || uri.getRawUserInfo() != null) {
                    violations.report("must be an absolute http(s) URL without user info, query or fragment",
                            "baseUrl");
                }
            }
            catch (URISyntaxException ex) {
                violations.report("is not a valid URL", "baseUrl");
            }
        }
    }

    /**
     * @param requestsPerSecond room-listing calls per second to one instance, across replicas, counted inside its
     *        {@code rate-limit} too; null (not set) for the provider type's own: {@link #effective}
     */
    public record ListRateLimit(
            @Range(min = 1, max = 100_000, message = "must be between 1 and 100000") Integer requestsPerSecond) {

        /** Tencent's {@code get_room_list}: "Maximum calling frequency: 10 times per second" (providers.md 6.2). */
        static final int TENCENT_LIST_LIMIT = 10;

        /** The limit set, else Tencent's own, else the instance's whole quota: no other listing has a lower one. */
        int effective(ProviderType type, int quota) {
            int limit = requestsPerSecond != null ? requestsPerSecond
                    : type == ProviderType.TENCENT ? TENCENT_LIST_LIMIT : quota;
            return Math.min(limit, quota);
        }
    }

    /**
     * An instance's webhooks in (contract 2.4, providers.md 7), verified with what the type signs with: plugNmeet
     * with the instance's own api-key and api-secret (nothing here), VideoSDK with the RSA public key it publishes,
     * Tencent with the callback token set in its console (and the instance's sdk-app-id). {@link #toString()} never
     * shows the token or the key.
     *
     * @param enabled whether {@code POST /webhooks/<name>} takes this instance's webhooks at all
     * @param publicKey VideoSDK: the PEM text of its webhook signing key ({@code -----BEGIN PUBLIC KEY-----}, or the
     *        PKCS#1 {@code RSA PUBLIC KEY} form), from the file, the environment or a mounted file
     * @param token Tencent: the callback token ({@code live_config/set_callback_token}); its webhooks carry
     *        {@code Sign} and {@code RequestTime} only when one is set
     * @param requestsPerSecond webhooks accepted per second from this instance (a burst of as many); past it, 429
     */
    public record WebhookProperties(@DefaultValue("false") boolean enabled, String publicKey, String token,
            @DefaultValue("50") @Range(min = 1, max = 100_000,
                    message = "must be between 1 and 100000") int requestsPerSecond) {

        static final WebhookProperties DISABLED = new WebhookProperties(false, null, null, 50);

        @Override
        public String toString() {
            return "WebhookProperties[enabled=" + enabled + ", requestsPerSecond=" + requestsPerSecond
                    + ", values redacted]";
        }

        /**
         * Enabled webhooks of {@code type} have what verifies them: VideoSDK a public key, Tencent a token (without
         * one Tencent signs nothing, and the SdkAppid it sends is no credential). Reported without values.
         */
        void checkFor(ProviderType type, Violations violations) {
            if (!enabled) {
                return;
            }
            if (type == ProviderType.VIDEOSDK && (publicKey == null || publicKey.isBlank())) {
                violations.report("is required when webhook.enabled is true (VideoSDK's webhook signing key, PEM)",
                        "webhook", "publicKey");
            }
            if (type == ProviderType.TENCENT && (token == null || token.isBlank())) {
                violations.report("is required when webhook.enabled is true (the callback token set in Tencent's "
                        + "console; without it Tencent signs nothing)", "webhook", "token");
            }
        }
    }

    /**
     * @param requestsPerSecond outbound calls per second to one instance, paging and retries included
     * @param maxWaiting calls that may wait for a permit at once when the quota is contended; one more is refused
     *        at once ({@code QUOTA_EXHAUSTED})
     */
    public record RateLimit(
            // The quota remembers its last N starts (three longs each): a bound keeps that memory small.
            @DefaultValue("200") @Range(min = 1, max = 100_000,
                    message = "must be between 1 and 100000") int requestsPerSecond,
            @DefaultValue("1000") @Range(min = 1, max = 100_000,
                    message = "must be between 1 and 100000") int maxWaiting) {
    }

    /**
     * @param maxAttempts attempts per upstream call; 1 means no retry
     * @param attemptTimeout longest one attempt may take, body included (the instance's timeout bounds it too)
     * @param budgetPercent retries allowed as a share of first attempts over the last 10 s
     * @param budgetMinRetries retries always allowed per 10 s, however few the calls
     */
    public record Retry(@DefaultValue("3") @Min(value = 1, message = "must be at least 1") int maxAttempts,
            @DefaultValue("1s") @PositiveDuration Duration attemptTimeout,
            @DefaultValue("20") @Range(min = 0, max = 100, message = "must be between 0 and 100") int budgetPercent,
            @DefaultValue("10") @Min(value = 0, message = "must be at least 0") int budgetMinRetries) {
    }

    /**
     * @param window the last this many calls are judged
     * @param minimumCalls no verdict before this many calls in the window
     * @param failureRatePercent share of failed calls that opens the breaker
     * @param openFor how long an open breaker refuses calls before letting a few through
     * @param halfOpenCalls trial calls while half-open
     */
    @CrossFieldRules
    public record CircuitBreaker(@DefaultValue("20") @Min(value = 1, message = "must be at least 1") int window,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("50") @Range(min = 1, max = 100,
                    message = "must be between 1 and 100") int failureRatePercent,
            @DefaultValue("15s") @PositiveDuration Duration openFor,
            @DefaultValue("2") @Min(value = 1, message = "must be at least 1") int halfOpenCalls)
            implements CrossFieldChecked {

        /** No verdict can need more calls than the window holds: {@code minimum-calls} between 1 and the window. */
        @Override
        public void checkAcrossFields(Violations violations) {
            if (window < 1 && minimumCalls < 1) {
                // The window has its own line; only a bound that holds for any window is checked.
                violations.report("must be at least 1", "minimumCalls");
            }
            else if (window >= 1 && (minimumCalls < 1 || minimumCalls > window)) {
                violations.report("must be between 1 and " + window, "minimumCalls");
            }
        }
    }

    /**
     * Every credential field any provider type uses; {@link #checkFor} checks that the ones the type needs
     * are present. {@link #toString()} never shows a value.
     */
    public record CredentialProperties(String apiKey, String apiSecret, String sdkAppId, String identifier,
            String secretKey, String secret) {

        @Override
        public String toString() {
            return "CredentialProperties[values redacted]";
        }

        /**
         * What {@code type} needs is present: plugNmeet an api-key and api-secret, Tencent a positive numeric
         * sdk-app-id, an identifier and a secret-key, VideoSDK an api-key and secret. Reported without values.
         */
        void checkFor(ProviderType type, Violations violations) {
            switch (type) {
                case PLUGNMEET -> required(violations, "apiKey", apiKey).required(violations, "apiSecret", apiSecret);
                case TENCENT -> sdkAppId(violations).required(violations, "identifier", identifier)
                    .required(violations, "secretKey", secretKey);
                case VIDEOSDK -> required(violations, "apiKey", apiKey).required(violations, "secret", secret);
            }
        }

        private CredentialProperties required(Violations violations, String field, String value) {
            if (value == null || value.isBlank()) {
                violations.report(ConfigurationConstraints.REQUIRED, "credentials", field);
            }
            return this;
        }

        private CredentialProperties sdkAppId(Violations violations) {
            if (sdkAppId == null || sdkAppId.isBlank()) {
                return required(violations, "sdkAppId", sdkAppId);
            }
            try {
                if (Long.parseLong(sdkAppId.strip()) > 0) {
                    return this;
                }
            }
            catch (NumberFormatException ignored) {
                // reported below, without the value
            }
            violations.report("must be a positive integer", "credentials", "sdkAppId");
            return this;
        }
    }

    /**
     * @param enabled require an API key on {@code /v1}
     * @param apiKeys the keys clients may send as {@code X-API-Key}, stored only as SHA-256 hashes
     * @param corsAllowedOrigins browser origins allowed to call {@code /v1}; empty means CORS is off
     * @param jwt bearer tokens from an OAuth2 issuer, as an alternative to keys
     * @param failedAttempts how many requests without a valid key or token one address may make before it is
     *        answered 429 instead of 401 (requests with a valid credential from that address are never refused)
     */
    public record SecurityProperties(@DefaultValue("true") boolean enabled, List<@Valid ApiKeyProperties> apiKeys,
            List<String> corsAllowedOrigins, @DefaultValue JwtProperties jwt,
            @DefaultValue FailedAttemptsProperties failedAttempts) {

        public SecurityProperties {
            apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
            corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : List.copyOf(corsAllowedOrigins);
        }
    }

    /**
     * @param jwkSetUri where the issuer publishes its signing keys; empty means bearer tokens are not accepted
     * @param issuer the {@code iss} every token must carry
     * @param audience the {@code aud} every token must include
     * @param timeout connect and read timeout of one key-set fetch: well inside a request's budget
     * @param refreshMinInterval the key set is fetched at most once in this long, however many tokens with unknown
     *        key ids arrive
     */
    public record JwtProperties(String jwkSetUri, String issuer, @DefaultValue("roomgate") String audience,
            @DefaultValue("2s") Duration timeout, @DefaultValue("30s") Duration refreshMinInterval) {
    }

    /**
     * A token bucket per remote address, spent only by refused authentications.
     *
     * @param perSecond failed attempts an address regains per second
     * @param burst failed attempts an address may make at once
     */
    public record FailedAttemptsProperties(@DefaultValue("5") int perSecond, @DefaultValue("20") int burst) {
    }

    /**
     * @param name who holds the key, for audit lines and per-key limits
     * @param sha256 lower-case hex SHA-256 of the key
     * @param permissions {@code rooms}, {@code participants} (personal data), {@code providers}
     * @param priority {@code interactive} or {@code background}: which goes first when a provider's quota is
     *        contended
     * @param quotaShare the key's weight in the split of a contended provider quota
     */
    public record ApiKeyProperties(String name, String sha256, @DefaultValue("rooms") List<String> permissions,
            @DefaultValue("interactive") @Pattern(regexp = "interactive|background",
                    message = "must be interactive or background") String priority,
            // Shares are weights between keys; beyond this one key would stand for the whole quota anyway.
            @DefaultValue("1") @Range(min = 1, max = 1000, message = "must be between 1 and 1000") int quotaShare) {
    }

    /**
     * @param enabled reuse and share answers; when false every request asks every provider
     * @param freshFor how long an answer is reused as it is (10 % jitter, so polls do not expire in step)
     * @param notFoundFor how long a "not found" is reused, so polling a room that is gone does not burn quota
     * @param refreshWindow after {@code freshFor}, how long an answer is still served at once while one
     *        background refresh runs
     * @param maxStale how old an answer may be and still be served (as {@code stale}) when the provider fails
     * @param maxEntries bound on cached answers (instance, room, participants flag), each counting one plus one per
     *        10 participants it lists
     */
    public record CacheProperties(@DefaultValue("true") boolean enabled,
            @DefaultValue("1500ms") @PositiveDuration Duration freshFor,
            @DefaultValue("1s") @PositiveDuration Duration notFoundFor,
            @DefaultValue("2s") @PositiveDuration(orZero = true, message = ConfigurationConstraints.ZERO_OR_MORE)
                    Duration refreshWindow,
            @DefaultValue("30s") @PositiveDuration(orZero = true, message = ConfigurationConstraints.ZERO_OR_MORE)
                    Duration maxStale,
            @DefaultValue("10000") @Min(value = 1, message = "must be at least 1") int maxEntries) {
    }

    /**
     * @param timeout the whole-request budget: no provider is waited for longer than this
     * @param maxBodyBytes the largest upstream response body read into memory
     */
    public record AggregateProperties(@DefaultValue("3s") @PositiveDuration Duration timeout,
            // Below 1 KiB no real answer fits; a negative value would mean "no limit" to the HTTP codecs.
            @DefaultValue("4194304") @Min(value = 1024, message = "must be at least 1024") int maxBodyBytes) {
    }

    /**
     * How often one client (an API key's name, a token's subject, or the remote address when keys are off) may call
     * {@code /v1}: a token bucket per client, shared by all replicas in cluster mode.
     *
     * @param enabled whether clients are limited at all
     * @param requestsPerSecond tokens added per second
     * @param burst the bucket's size: requests a client may make at once after a quiet spell
     */
    @CrossFieldRules
    public record ClientRateLimitProperties(@DefaultValue("true") boolean enabled,
            @DefaultValue("50") @Min(value = 1, message = "must be at least 1") int requestsPerSecond,
            @DefaultValue("100") int burst) implements CrossFieldChecked {

        /** The burst holds at least one second's tokens. */
        @Override
        public void checkAcrossFields(Violations violations) {
            // A rate below 1 has its own line, and gives the burst no bound to be measured against.
            if (requestsPerSecond >= 1 && burst < requestsPerSecond) {
                violations.report("must be at least " + requestsPerSecond, "burst");
            }
        }
    }

    /**
     * Cluster mode: replicas share every provider quota, their fetches and the client limits through Redis
     * ({@code spring.data.redis.*}).
     *
     * @param enabled false: one node, everything in memory, no Redis needed
     * @param expectedReplicas while Redis cannot be reached, each replica keeps to quota / this many
     * @param keyPrefix first part of every Redis key, so that deployments can share one Redis
     * @param redisTimeout the longest a quota or coalescing call to Redis may take before the replica stops waiting
     *        for it
     * @param retryRedisAfter after Redis failed, how long the replica keeps to its local share before asking again
     * @param leaseFor how long a batch of leased quota permits may be used, counted from sending the request: longer
     *        than {@code redisTimeout}, so that every answer in time leaves some of it
     * @param maxLease the most quota permits one round trip to Redis may lease
     * @param coalesceLease how long one replica may fetch a room for the others before another may take over
     */
    @CrossFieldRules
    public record ClusterProperties(@DefaultValue("false") boolean enabled,
            @DefaultValue("1") @Min(value = 1, message = "must be at least 1") int expectedReplicas,
            @DefaultValue("roomgate") @NotNull(message = ClusterProperties.KEY_PREFIX)
                    @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = ClusterProperties.KEY_PREFIX) String keyPrefix,
            @DefaultValue("25ms") @PositiveDuration Duration redisTimeout,
            @DefaultValue("1s") @PositiveDuration Duration retryRedisAfter,
            // A lease's permits count in the shared window for their whole validity, so a long one wastes quota.
            @DefaultValue("30ms") @PositiveDuration @DurationMax(millis = 500,
                    message = "must be at most 500ms") Duration leaseFor,
            @DefaultValue("10") @Range(min = 1, max = 100, message = "must be between 1 and 100") int maxLease,
            @DefaultValue("1s") @PositiveDuration Duration coalesceLease) implements CrossFieldChecked {

        private static final String KEY_PREFIX = "must be 1 to 64 letters, digits, dots, dashes or underscores";

        /** A lease outlives the Redis call that obtains it, or an answer in time may bring no usable permit. */
        @Override
        public void checkAcrossFields(Violations violations) {
            // A missing or non-positive value has its own line already.
            boolean comparable = leaseFor != null && redisTimeout != null
                    && ConfigurationConstraints.positive(leaseFor) && ConfigurationConstraints.positive(redisTimeout);
            if (comparable && leaseFor.compareTo(redisTimeout) <= 0) {
                violations.report("must be longer than roomgate.cluster.redis-timeout, or an answer in time may "
                        + "bring no usable permit", "leaseFor");
            }
        }
    }
}
