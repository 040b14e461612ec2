package dev.roomgate.config;

import java.net.URI;
import java.time.Duration;

/**
 * One validated provider instance.
 *
 * @param name instance name, as it appears in answers and metrics
 * @param type provider type
 * @param baseUrl the provider's API root, without a trailing slash
 * @param enabled whether it takes part in answers
 * @param timeout budget for this instance's answer
 * @param requestsPerSecond outbound quota
 * @param maxAttempts attempts per upstream call
 * @param credentials typed credentials matching {@code type}
 */
public record ProviderInstance(String name, ProviderType type, URI baseUrl, boolean enabled, Duration timeout,
        int requestsPerSecond, int maxAttempts, ProviderCredentials credentials) {
}
