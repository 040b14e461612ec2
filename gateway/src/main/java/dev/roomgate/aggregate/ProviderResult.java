package dev.roomgate.aggregate;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.roomgate.config.ProviderType;

/**
 * The per-instance outcome reported in every answer, also for instances that failed.
 *
 * @param latencyMs wall time spent on this instance for this answer
 * @param retries upstream HTTP calls that were repeated while building this answer
 * @param source {@code upstream} for a fresh call
 * @param error absent for {@code ok} and {@code not_found}
 */
public record ProviderResult(String provider, ProviderType providerType, ProviderStatus status, long latencyMs,
        int retries, String source, @JsonInclude(JsonInclude.Include.NON_NULL) ProviderError error) {
}
