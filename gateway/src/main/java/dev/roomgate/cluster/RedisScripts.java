package dev.roomgate.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs Roomgate's Lua scripts, each bounded by the Redis timeout. Scripts go by their SHA first and are sent whole
 * only when Redis does not know them (after a restart or {@code SCRIPT FLUSH}).
 */
public final class RedisScripts {

    static final RedisScript<List> QUOTA_LEASE = script("quota-lease");

    static final RedisScript<List> QUOTA_SHARE = script("quota-share");

    static final RedisScript<List> ROOM_CLAIM = script("room-claim");

    static final RedisScript<List> ROOM_STORE = script("room-store");

    static final RedisScript<List> WATCH_LEAD = script("watch-lead");

    static final RedisScript<List> WATCH_RELEASE = script("watch-release");

    static final RedisScript<Long> CLIENT_LIMIT_CHECK = RedisScript.of(
            new ClassPathResource("redis/client-limit-check.lua"), Long.class);

    private static final Map<RedisScript<?>, String> NAMES = Map.of(QUOTA_LEASE, "quota_lease", QUOTA_SHARE,
            "quota_share", ROOM_CLAIM, "room_claim", ROOM_STORE, "room_store", CLIENT_LIMIT_CHECK, "client_limit_check",
            WATCH_LEAD, "watch_lead", WATCH_RELEASE, "watch_release");

    private final ReactiveStringRedisTemplate redis;

    private final RedisLink link;

    // Built once, not per call: one answered and one failed timer per script.
    private final Map<RedisScript<?>, Timer> answered = new HashMap<>();

    private final Map<RedisScript<?>, Timer> failed = new HashMap<>();

    private final Duration timeout;

    private final String keyPrefix;

    /** @param link hears of every answer and every failure, so that callers need only decide what to do next */
    public RedisScripts(ReactiveStringRedisTemplate redis, RedisLink link, Duration timeout, String keyPrefix,
            MeterRegistry meters) {
        this.redis = redis;
        this.link = link;
        this.timeout = timeout;
        this.keyPrefix = keyPrefix;
        NAMES.forEach((script, name) -> {
            answered.put(script, timer(meters, name, "ok"));
            failed.put(script, timer(meters, name, "error"));
        });
    }

    private static Timer timer(MeterRegistry meters, String script, String outcome) {
        return Timer.builder("roomgate.cluster.redis.calls")
            .description("Round trips to Redis for the shared quota and fetches, timeouts included")
            .tag("script", script)
            .tag("outcome", outcome)
            .publishPercentileHistogram()
            .register(meters);
    }

    /**
     * Connects, loads the scripts and runs the path every request takes once, so that the first requests do not
     * pay for it (a first call that needs a connection, a script upload and cold code does not fit the timeout).
     */
    Mono<Void> warmUp() {
        List<String> keys = List.of(key("warm-up", "warm-up", ":answer"), key("warm-up", "warm-up", ":lease"));
        return Flux.just(QUOTA_LEASE, QUOTA_SHARE, ROOM_CLAIM, ROOM_STORE)
            .concatMap(script -> redis.execute(connection -> connection.scriptingCommands()
                .scriptLoad(ByteBuffer.wrap(script.getScriptAsString().getBytes(StandardCharsets.UTF_8)))))
            .thenMany(redis.execute(ROOM_CLAIM, keys, List.of("warm-up", "1")))
            .then();
    }

    /** How long one script call may take before it counts as failed. */
    Duration timeout() {
        return timeout;
    }

    /** One cheap round trip. */
    Mono<String> ping() {
        return redis.execute(connection -> connection.ping()).next();
    }

    /**
     * Runs a script and tells the link how it went (a failure is still signalled: the caller decides what to do,
     * asking {@link RedisLink#usable()} whether Redis is now set aside).
     *
     * @param operation what the call is for, for the link's error meter ({@code quota}, {@code coalesce})
     * @return the script's reply, its values as Redis gave them (numbers as {@link Long}, strings as text)
     */
    Mono<List<Object>> run(String operation, RedisScript<List> script, List<String> keys, String... args) {
        return reported(operation, script, () -> redis.execute(script, keys, List.of(args))
            .reduce(new ArrayList<Object>(), (all, part) -> {
                all.addAll(part);
                return all;
            })
            .<List<Object>>map(List::copyOf));
    }

    /** Runs a script whose reply is one number, telling the link how it went, as {@link #run} does. */
    Mono<Long> runForNumber(String operation, RedisScript<Long> script, List<String> keys, String... args) {
        return reported(operation, script, () -> redis.execute(script, keys, List.of(args)).next());
    }

    /** One script call under the Redis timeout, timed by its meters and reported to the link. */
    private <T> Mono<T> reported(String operation, RedisScript<?> script, Supplier<Mono<T>> call) {
        return Mono.defer(() -> {
            long sent = link.now();
            return call.get()
                .timeout(timeout)
                .doOnNext(reply -> {
                    answered.get(script).record(link.now() - sent, TimeUnit.NANOSECONDS);
                    link.answered(sent);
                })
                .doOnError(error -> {
                    failed.get(script).record(link.now() - sent, TimeUnit.NANOSECONDS);
                    link.failed(operation, error, sent);
                });
        });
    }

    /**
     * A key of this deployment. The part in braces is the Redis Cluster hash tag: the keys one script touches share
     * it, so they live on one node.
     */
    String key(String kind, String hashTag, String suffix) {
        return keyPrefix + ":" + kind + ":{" + hashTag + "}" + suffix;
    }

    /** A script of ours, after prelude.lua (the functions they share: Redis scripts cannot include each other). */
    @SuppressWarnings("rawtypes")
    private static RedisScript<List> script(String name) {
        return RedisScript.of(text("prelude") + text(name), List.class);
    }

    private static String text(String name) {
        try {
            return new ClassPathResource("redis/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException unreadable) {
            throw new UncheckedIOException("redis/" + name + ".lua is not in the jar", unreadable);
        }
    }
}
