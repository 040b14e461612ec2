package dev.roomgate.aggregate;

import java.time.Duration;

/**
 * One instance's answer for one request, and where it came from.
 *
 * @param fetched the lookup whose answer is used (shared by every request that used it; the earlier good one when
 *        stale)
 * @param source {@code upstream}, {@code cache} or {@code stale}
 * @param age how old the answer is, for {@code cache} and {@code stale}; null for a fresh one
 * @param freshFor how much longer the answer may be reused; zero when it must not be
 * @param staleBecause for {@code stale}: why the fresh lookup failed
 * @param retries upstream calls repeated while building this answer: none for a reused one, the failed lookup's
 *        for a stale one
 */
public record Sourced(Fetched fetched, String source, Duration age, Duration freshFor, ProviderError staleBecause,
        int retries) {

    public static Sourced upstream(Fetched fetched, Duration freshFor) {
        return new Sourced(fetched, "upstream", null, fetched.succeeded() ? freshFor : Duration.ZERO, null,
                fetched.retries());
    }

    public static Sourced cached(Fetched fetched, Duration age, Duration freshFor) {
        return new Sourced(fetched, "cache", age, freshFor, null, 0);
    }

    public static Sourced stale(Fetched earlier, Duration age, Fetched failed) {
        return new Sourced(earlier, "stale", age, Duration.ZERO, failed.error(), failed.retries());
    }

    public boolean isStale() {
        return "stale".equals(source);
    }
}
