package dev.roomgate.resilience;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.schema.ProviderStatus;

/**
 * The provider's own limit, as it last told us (HTTP 429, Tencent 60007/60011/60018/60019). It sets how long the
 * instance's quota pauses: the pause the provider asked for where it named one ({@code Retry-After}, Tencent's
 * one-minute 70050 lock-out), up to 60 s, otherwise exponentially from 1 s with jitter, up to 30 s, for throttles
 * that follow each other without an answer in between. While the pause lasts, a
 * call that cannot wait it out fails with the provider's words and code, never as our own quota being used up.
 *
 * <p>Our own code: Resilience4j's RateLimiter and Retry pace one caller's attempts, while this is a limit the
 * provider announced for every caller of the instance, and it must be named as the provider's.
 */
public final class ProviderThrottle {

    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    // Tencent locks an app out for a minute after too many UserSig checks (providers.md 8.1, 70050): a call
    // within that minute only prolongs it, so a pause the provider names is honoured up to that long.
    static final Duration MAX_PAUSE = Duration.ofSeconds(60);

    private static final long NEVER = Long.MIN_VALUE / 4;

    private final LongSupplier nanoTime;

    private final ConcurrentMap<String, Counter> throttles = new ConcurrentHashMap<>();

    private final ProviderInstance instance;

    private final MeterRegistry meters;

    private ProviderException last;

    private long until = NEVER;

    private int streak;

    public ProviderThrottle(ProviderInstance instance, MeterRegistry meters, LongSupplier nanoTime) {
        this.instance = instance;
        this.meters = meters;
        this.nanoTime = nanoTime;
        // Any provider may answer 429, so that series exists from the start; a provider's own codes appear with
        // their first throttle.
        counter("HTTP_429");
    }

    /**
     * The provider said "too many".
     *
     * @return how long the instance must now wait before its next call
     */
    public Duration throttled(ProviderException failure) {
        counter(limit(failure)).increment();
        synchronized (this) {
            streak++;
            Duration pause = failure.retryAfter() != null ? shorter(failure.retryAfter(), MAX_PAUSE)
                    : backoff(streak, failure.backoffCeiling());
            until = Math.max(until, nanoTime.getAsLong() + pause.toNanos());
            last = failure;
            return pause;
        }
    }

    /** The provider answered a call: the next throttle starts the back-off afresh. */
    public synchronized void answered() {
        streak = 0;
    }

    /**
     * The failure of a call that cannot wait until the provider's pause ends, in the provider's own terms; null when
     * no pause is in force, and the call was refused by our own limits.
     */
    public ProviderException inForce() {
        ProviderException cause;
        long left;
        synchronized (this) {
            left = until - nanoTime.getAsLong();
            cause = last;
        }
        if (left <= 0 || cause == null) {
            return null;
        }
        return ProviderException.of(ProviderStatus.RATE_LIMITED, cause.code(),
                cause.getMessage() + "; backing off from this instance for another " + (left / 1_000_000) + " ms")
            .answered(cause.httpStatus(), cause.upstreamCode())
            .build();
    }

    /** Exponential from {@link #FIRST_PAUSE}, with up to a quarter more at random so that replicas drift apart. */
    static Duration backoff(int streak) {
        return backoff(streak, null);
    }

    /** {@link #backoff(int)}, stopping at the provider's own ceiling where it has one shorter than ours. */
    static Duration backoff(int streak, Duration ceiling) {
        long base = FIRST_PAUSE.toMillis() << Math.min(streak - 1, 10);
        long jittered = base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
        Duration longest = ceiling != null ? shorter(ceiling, MAX_BACKOFF) : MAX_BACKOFF;
        return Duration.ofMillis(Math.min(jittered, longest.toMillis()));
    }

    /** Tagged by the provider's limit: its own code in a 2xx body (a closed set), otherwise the HTTP status. */
    private static String limit(ProviderException failure) {
        Integer status = failure.httpStatus();
        return status != null && status == 200 && failure.upstreamCode() != null ? failure.upstreamCode()
                : "HTTP_" + status;
    }

    private Counter counter(String limit) {
        return throttles.computeIfAbsent(limit, code -> Counter.builder("roomgate.provider.throttles")
            .description("Calls the provider itself refused as too many (its own limit, not our quota)")
            .tag("provider", instance.name())
            .tag("limit", code)
            .register(meters));
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
