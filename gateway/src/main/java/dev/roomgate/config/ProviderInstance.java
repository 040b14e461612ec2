package dev.roomgate.config;

import java.net.URI;
import java.time.Duration;

import dev.roomgate.schema.ProviderType;

/**
 * One validated provider instance.
 *
 * @param name instance name, as it appears in answers and metrics
 * @param type provider type
 * @param baseUrl the provider's API root, without a trailing slash
 * @param enabled whether it takes part in answers
 * @param timeout budget for this instance's answer
 * @param requestsPerSecond outbound quota
 * @param maxWaiting calls that may wait for a quota permit at once; past it a call is refused at once
 * @param retry retry policy
 * @param breaker circuit breaker policy
 * @param maxConcurrentCalls upstream calls in flight at once
 * @param credentials typed credentials matching {@code type}
 * @param listRequestsPerSecond the room listing's own limit, inside {@code requestsPerSecond}
 * @param webhook whether and how the instance's webhooks are taken in
 */
public record ProviderInstance(String name, ProviderType type, URI baseUrl, boolean enabled, Duration timeout,
        int requestsPerSecond, int maxWaiting, RetryPolicy retry, BreakerPolicy breaker, int maxConcurrentCalls,
        ProviderCredentials credentials, int listRequestsPerSecond, Webhook webhook) {

    /** An instance that takes no webhooks. */
    public ProviderInstance(String name, ProviderType type, URI baseUrl, boolean enabled, Duration timeout,
            int requestsPerSecond, int maxWaiting, RetryPolicy retry, BreakerPolicy breaker, int maxConcurrentCalls,
            ProviderCredentials credentials, int listRequestsPerSecond) {
        this(name, type, baseUrl, enabled, timeout, requestsPerSecond, maxWaiting, retry, breaker, maxConcurrentCalls,
                credentials, listRequestsPerSecond, Webhook.DISABLED);
    }

    /** The listing limited by the instance's quota alone. */
    public ProviderInstance(String name, ProviderType type, URI baseUrl, boolean enabled, Duration timeout,
            int requestsPerSecond, int maxWaiting, RetryPolicy retry, BreakerPolicy breaker, int maxConcurrentCalls,
            ProviderCredentials credentials) {
        this(name, type, baseUrl, enabled, timeout, requestsPerSecond, maxWaiting, retry, breaker, maxConcurrentCalls,
                credentials, requestsPerSecond);
    }

    /**
     * @param maxAttempts attempts per upstream call
     * @param attemptTimeout longest one attempt may take
     * @param budgetPercent retries as a share of first attempts over 10 s
     * @param budgetMinRetries retries always allowed per 10 s
     */
    public record RetryPolicy(int maxAttempts, Duration attemptTimeout, int budgetPercent, int budgetMinRetries) {

        public static RetryPolicy defaults(int maxAttempts) {
            return new RetryPolicy(maxAttempts, Duration.ofSeconds(1), 20, 10);
        }
    }

    /** Circuit breaker policy; see {@link RoomgateProperties.CircuitBreaker}. */
    public record BreakerPolicy(int window, int minimumCalls, int failureRatePercent, Duration openFor,
            int halfOpenCalls) {

        public static BreakerPolicy defaults() {
            return new BreakerPolicy(20, 10, 50, Duration.ofSeconds(15), 2);
        }
    }

    /**
     * The instance's webhooks in; what verifies them beyond these is in {@link #credentials()} (plugNmeet's api-key
     * and api-secret, Tencent's sdk-app-id).
     *
     * @param enabled whether its webhooks are taken in at all
     * @param requestsPerSecond webhooks accepted per second (and at once)
     * @param publicKeyPem VideoSDK: the PEM text of the signing key; null for other types
     * @param token Tencent: the callback token; null for other types
     */
    public record Webhook(boolean enabled, int requestsPerSecond, String publicKeyPem, Secret token) {

        public static final Webhook DISABLED = new Webhook(false, 50, null, null);

        @Override
        public String toString() {
            return "Webhook[enabled=" + enabled + ", requestsPerSecond=" + requestsPerSecond + "]";
        }
    }
}
