package dev.roomgate.cluster;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica may ask Redis right now. One failure (an error or a slow answer) sets Redis aside for a
 * while, so that an outage costs each request nothing and every replica keeps to its local share; the first answer
 * after that ends it. Entering and leaving that state are logged once each, never per failure, and a Redis that
 * comes and goes writes one line a minute at most.
 */
public final class RedisLink {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final Duration retryAfter;

    private final int expectedReplicas;

    private final LongSupplier nanoTime;

    private final AtomicLong asideUntil;

    private final AtomicBoolean fallback = new AtomicBoolean();

    private static final Duration LOG_AT_MOST_EVERY = Duration.ofMinutes(1);

    private static final long NEVER = Long.MIN_VALUE;

    private final AtomicLong lastLine = new AtomicLong(NEVER);

    private final AtomicLong spells = new AtomicLong();

    // The spell whose start was logged: its end is logged too, however soon it comes.
    private final AtomicBoolean warned = new AtomicBoolean();

    private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    public RedisLink(Duration retryAfter, int expectedReplicas, MeterRegistry meters, LongSupplier nanoTime) {
        this.retryAfter = retryAfter;
        this.expectedReplicas = expectedReplicas;
        this.meters = meters;
        this.nanoTime = nanoTime;
        this.asideUntil = new AtomicLong(nanoTime.getAsLong());
        Gauge.builder("roomgate.cluster.fallback", fallback, state -> state.get() ? 1 : 0)
            .description("1 while Redis cannot be reached and each replica keeps to its local share of every quota")
            .register(meters);
    }

    /** False while Redis is set aside after a failure. */
    public boolean usable() {
        return nanoTime.getAsLong() - asideUntil.get() >= 0;
    }

    public boolean inFallback() {
        return fallback.get();
    }

    /** @param operation what was asked ({@code quota}, {@code coalesce}, {@code client_limit}): a bounded set */
    public void failed(String operation, Throwable error) {
        errors.computeIfAbsent(operation, name -> Counter.builder("roomgate.cluster.redis.errors")
            .description("Calls to Redis that failed or took too long")
            .tag("operation", name)
            .register(meters)).increment();
        long now = nanoTime.getAsLong();
        asideUntil.set(now + retryAfter.toNanos());
        if (fallback.compareAndSet(false, true)) {
            long since = spells.getAndIncrement();
            if (mayLog(now)) {
                log.warn("Redis cannot be reached ({}): this replica keeps to 1/{} of every provider quota and "
                        + "fetches rooms on its own until it answers again{}", describe(error), expectedReplicas,
                        since > 0 ? " (" + since + " more such spells since the last line)" : "");
                spells.set(0);
                warned.set(true);
            }
        }
    }

    public void answered() {
        if (fallback.compareAndSet(true, false) && warned.getAndSet(false)) {
            log.info("Redis answers again: provider quotas and fetches are shared across replicas again");
        }
    }

    /** A Redis that comes and goes (an overloaded node) writes a line a minute at most, not one per spell. */
    private boolean mayLog(long now) {
        long last = lastLine.get();
        return (last == NEVER || now - last >= LOG_AT_MOST_EVERY.toNanos()) && lastLine.compareAndSet(last, now);
    }

    /** The failure's kind only: a Redis error message can quote the command, and so a key or an argument. */
    private static String describe(Throwable error) {
        return error instanceof TimeoutException ? "no answer in time" : error.getClass().getSimpleName();
    }
}
