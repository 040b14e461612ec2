package dev.roomgate.aggregate;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.ProviderType;

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

    /** The one place an instance's answer becomes its wire result. */
    static ProviderResult of(ProviderInstance instance, InstanceAnswer answer, Duration latency) {
        Outcome outcome = answer.outcome();
        Long ageMs = answer.source() == Source.UPSTREAM ? null : answer.age().toMillis();
        return new ProviderResult(instance.name(), instance.type(), outcome.status(), latency.toMillis(),
                answer.retries(), answer.source(), ageMs, outcome.error());
    }
}
