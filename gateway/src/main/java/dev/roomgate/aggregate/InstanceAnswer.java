package dev.roomgate.aggregate;

import java.time.Duration;

import dev.roomgate.schema.Source;

/**
 * One instance's answer for one request, and where it came from: the one shape from the provider client's
 * {@link Outcome} up to the JSON writer, whether fetched, shared, reused or stale.
 *
 * @param age how old the answer is; zero for one fetched for this request
 * @param freshFor how much longer the answer may be reused; zero when it must not be
 * @param retries upstream calls repeated while building this answer: none for a reused one, the failed lookup's
 *        for a stale one
 */
public record InstanceAnswer(Outcome outcome, Source source, Duration age, Duration freshFor, int retries) {

    /** A lookup made for this request; its retries are this request's. */
    public static InstanceAnswer fetched(Outcome outcome, int retries) {
        return new InstanceAnswer(outcome, Source.UPSTREAM, Duration.ZERO, Duration.ZERO, retries);
    }

    /** A reused answer: it cost this request no call. */
    public static InstanceAnswer reused(Outcome outcome, Duration age, Duration freshFor) {
        return new InstanceAnswer(outcome, Source.CACHE, age, freshFor, 0);
    }

    /** An earlier good answer standing in for a failed lookup, whose retries it reports. */
    public static InstanceAnswer stale(Outcome.Found earlier, Duration age, InstanceAnswer failed) {
        return new InstanceAnswer(new Outcome.Stale(earlier, (Outcome.Failed) failed.outcome()), Source.STALE, age,
                Duration.ZERO, failed.retries());
    }

    /** The same answer, reusable for {@code freshFor} more (only an authoritative one may be). */
    public InstanceAnswer freshFor(Duration freshFor) {
        return new InstanceAnswer(outcome, source, age, outcome.isAnswer() ? freshFor : Duration.ZERO, retries);
    }

    /** The same answer as another replica's: reused here, as old as it is there, and no retries of ours. */
    public InstanceAnswer sharedAt(Duration age) {
        return new InstanceAnswer(outcome, Source.CACHE, age, freshFor, 0);
    }
}
