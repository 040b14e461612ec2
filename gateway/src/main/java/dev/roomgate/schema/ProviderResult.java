package dev.roomgate.schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The per-instance outcome reported in every answer, also for instances that failed.
 *
 * @param latencyMs wall time spent on this instance for this answer
 * @param retries upstream HTTP calls that were repeated while building this answer
 * @param source {@code upstream} for an answer fetched for this request (alone or shared with concurrent identical
 *        requests), {@code cache} for a fresh reused one, {@code stale} for an old one served because the provider
 *        failed
 * @param ageMs how old a {@code cache} or {@code stale} answer is; absent for {@code upstream}
 * @param error absent for {@code ok} and {@code not_found}; for {@code stale}, why the fresh lookup failed
 */
public record ProviderResult(String provider, ProviderType providerType, ProviderStatus status, long latencyMs,
        int retries, Source source, @JsonInclude(JsonInclude.Include.NON_NULL) Long ageMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) ProviderError error) {
}
