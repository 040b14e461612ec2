package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.QueryTimeoutException;

/**
 * Whether this replica asks Redis, or keeps to its local shares because Redis cannot be reached.
 *
 * <p>Only a Redis that is really gone sets it aside: a refused or broken connection at once, and timeouts only
 * once calls have gone unanswered for {@code retryRedisAfter} with no answer in between. One slow answer on a busy replica must not do it:
 * a replica on its share while the others still share Redis adds its share on top of what they spend. While Redis
 * is set aside a probe asks it every {@code retryRedisAfter}, so the state ends when Redis returns even if no
 * request comes; only an answer to a call sent after the state began ends it. Entering and leaving are logged
 * once each, never per failure, and a Redis that comes and goes writes one line a minute at most.
 */
public final class RedisLink {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private static final Duration LOG_AT_MOST_EVERY = Duration.ofMinutes(1);

    private static final long NEVER = Long.MIN_VALUE;

    private final Duration retryAfter;

    private final int expectedReplicas;

    private final LongSupplier nanoTime;

    private final AtomicBoolean fallback = new AtomicBoolean();

    private final AtomicLong fallbackSince = new AtomicLong();

    // When calls began to go unanswered (the send time of the first that timed out since the last answer); 0: none.
    private final AtomicLong silentSince = new AtomicLong();

    private final AtomicLong lastLine = new AtomicLong(NEVER);

    private final AtomicLong spells = new AtomicLong();

    // The spell whose start was logged: its end is logged too, however soon it comes.
    private final AtomicBoolean warned = new AtomicBoolean();

    private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, Counter> ignored = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    public RedisLink(Duration retryAfter, int expectedReplicas, MeterRegistry meters, LongSupplier nanoTime) {
        this.retryAfter = retryAfter;
        this.expectedReplicas = expectedReplicas;
        this.meters = meters;
        this.nanoTime = nanoTime;
        Gauge.builder("roomgate.cluster.fallback", fallback, state -> state.get() ? 1 : 0)
            .description("1 while Redis cannot be reached and this replica keeps to its local share of every quota")
            .register(meters);
    }

    /** False while Redis is set aside. */
    public boolean usable() {
        return !fallback.get();
    }

    /** For callers that time their call: the instant to hand back to {@link #answered(long)}. */
    public long now() {
        return nanoTime.getAsLong();
    }

    /**
     * @param operation what was asked ({@code quota}, {@code coalesce}, {@code client_limit}): a bounded set
     * @param sentAt when the failed call was sent ({@link #now()})
     * @return whether Redis is now set aside (else the caller may simply try again)
     */
    public boolean failed(String operation, Throwable error, long sentAt) {
        errors.computeIfAbsent(operation, name -> Counter.builder("roomgate.cluster.redis.errors")
            .description("Calls to Redis that failed or took too long")
            .tag("operation", name)
            .register(meters)).increment();
        long now = nanoTime.getAsLong();
        boolean gone = !isTimeout(error) || now - silentFrom(sentAt) >= retryAfter.toNanos();
        if (gone && fallback.compareAndSet(false, true)) {
            fallbackSince.set(now);
            long since = spells.getAndIncrement();
            if (mayLog(now)) {
                log.warn("Redis cannot be reached ({}): this replica keeps to 1/{} of every provider quota and "
                        + "fetches rooms on its own until it answers again{}", describe(error), expectedReplicas,
                        since > 0 ? " (" + since + " more such spells since the last line)" : "");
                spells.set(0);
                warned.set(true);
            }
        }
        return fallback.get();
    }

    /**
     * A value read from Redis that did not parse, or that its own timestamps say is out of date, was ignored (as if
     * absent). Redis answered, so this says nothing about the link: it is counted and logged at debug, never a
     * reason to set Redis aside (a stray key would otherwise put a replica on its local share).
     *
     * @param what which value ({@code shared_answer}, {@code room_lease}, {@code quota_log}, {@code quota_reply},
     *        {@code quota_share_reply}, {@code quota_share_table}, {@code client_limit}): a bounded set
     * @param why a short reason of ours, never the value itself
     */
    public void ignored(String what, String why) {
        ignored.computeIfAbsent(what, name -> Counter.builder("roomgate.cluster.redis.ignored")
            .description("Values read from Redis that were malformed or out of date, and ignored")
            .tag("value", name)
            .register(meters)).increment();
        log.debug("Redis {} ignored: {}", what, why);
    }

    /**
     * The first {@code count} values of a script's reply, as the numbers they must be; or null, the reply ignored
     * as {@code what} ({@link #ignored}), when they are not.
     */
    long[] numbers(List<Object> reply, int count, String what) {
        long[] numbers = new long[count];
        try {
            for (int i = 0; i < count; i++) {
                numbers[i] = Long.parseLong(String.valueOf(reply.get(i)));
            }
            return numbers;
        }
        catch (RuntimeException unreadable) {
            ignored(what, "unreadable (" + unreadable.getClass().getSimpleName() + ")");
            return null;
        }
    }

    /** @param sentAt when the call that was answered was sent ({@link #now()}) */
    public void answered(long sentAt) {
        silentSince.set(0);
        // An answer to a call sent before the spell began says nothing about Redis now.
        if (fallback.get() && sentAt - fallbackSince.get() > 0 && fallback.compareAndSet(true, false)
                && warned.getAndSet(false)) {
            log.info("Redis answers again: provider quotas and fetches are shared across replicas again");
        }
    }

    /**
     * Asks Redis every {@code retryRedisAfter} while it is set aside.
     * @param ping one cheap round trip to Redis
     * @return the running probe, to dispose of on shutdown
     */
    public Disposable probe(Supplier<Mono<?>> ping) {
        return Flux.interval(retryAfter)
            .filter(tick -> fallback.get())
            .concatMap(tick -> {
                long sent = nanoTime.getAsLong();
                return ping.get()
                    .timeout(retryAfter)
                    .doOnSuccess(answer -> answered(sent))
                    .onErrorResume(stillGone -> Mono.empty());
            })
            .subscribe();
    }

    /** The start of the current run of unanswered calls, which this one (sent at {@code sentAt}) may begin. */
    private long silentFrom(long sentAt) {
        long since = sentAt == 0 ? 1 : sentAt;
        return silentSince.compareAndSet(0, since) ? since : silentSince.get();
    }

    /** A slow answer, rather than no connection at all. */
    static boolean isTimeout(Throwable error) {
        return error instanceof TimeoutException || error instanceof QueryTimeoutException;
    }

    /** A Redis that comes and goes (an overloaded node) writes a line a minute at most, not one per spell. */
    private boolean mayLog(long now) {
        long last = lastLine.get();
        return (last == NEVER || now - last >= LOG_AT_MOST_EVERY.toNanos()) && lastLine.compareAndSet(last, now);
    }

    /** The failure's kind only: a Redis error message can quote the command, and so a key or an argument. */
    private static String describe(Throwable error) {
        return isTimeout(error) ? "no answer in time" : error.getClass().getSimpleName();
    }
}
