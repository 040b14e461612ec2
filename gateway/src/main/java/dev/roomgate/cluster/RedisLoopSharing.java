package dev.roomgate.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.roomgate.schema.RoomDocument;
import dev.roomgate.watch.LoopSharing;
import dev.roomgate.watch.WatchKey;

/**
 * One loop per watched room for the whole cluster: a lease per room (held by the replica that reads it, renewed at
 * each of its polls, so that another takes it within a few polls when that replica dies), each document it reads
 * published on the room's channel for the other replicas' loops, and the last one kept for loops that start later.
 * With Redis away every replica leads its own loops, within its own quota share.
 */
final class RedisLoopSharing implements LoopSharing {

    /** What travels: a document, and who read it. */
    record Shared(String replica, RoomDocument document) {
    }

    private final RedisScripts scripts;

    private final ReactiveStringRedisTemplate redis;

    private final RedisLink link;

    private final JsonMapper json;

    private final String keyPrefix;

    private final String replica;

    private final Duration timeout;

    /** Every room's documents, on one subscription for this replica, shared by its loops while any listens. */
    private final Flux<ReactiveSubscription.Message<String, String>> documents;

    RedisLoopSharing(RedisScripts scripts, ReactiveStringRedisTemplate redis, RedisLink link, JsonMapper json,
            String keyPrefix, String replica, Duration timeout) {
        this.scripts = scripts;
        this.redis = redis;
        this.link = link;
        this.json = json;
        this.keyPrefix = keyPrefix;
        this.replica = replica;
        this.timeout = timeout;
        this.documents = RedisSubscriptions.<ReactiveSubscription.Message<String, String>>held(
                () -> redis.listenToPattern(keyPrefix + ":watch-documents:*"))
            .share();
    }

    @Override
    public Mono<Boolean> lead(WatchKey key, Duration hold) {
        if (!link.usable()) {
            return Mono.just(Boolean.TRUE);
        }
        return scripts.run("watch", RedisScripts.WATCH_LEAD, List.of(lease(key)), replica,
                Long.toString(hold.toMillis()))
            .map(reply -> !reply.isEmpty() && "1".equals(String.valueOf(reply.get(0))))
            // Not knowing who leads, this replica reads for its own watchers rather than leave them without.
            .onErrorReturn(Boolean.TRUE);
    }

    @Override
    public void share(WatchKey key, RoomDocument document, Duration hold) {
        if (!link.usable()) {
            return;
        }
        String message = json.writeValueAsString(new Shared(replica, document));
        long sent = link.now();
        redis.opsForValue().set(latestKey(key), message, hold)
            .then(redis.convertAndSend(channel(key), message))
            .timeout(timeout)
            .subscribe(received -> link.answered(sent), failed -> link.failed("watch", failed, sent));
    }

    @Override
    public Flux<RoomDocument> shared(WatchKey key) {
        String channel = channel(key);
        return documents.filter(message -> channel.equals(message.getChannel()))
            .concatMap(message -> Mono.justOrEmpty(read(message.getMessage(), key, true)));
    }

    @Override
    public Mono<RoomDocument> latest(WatchKey key) {
        if (!link.usable()) {
            return Mono.empty();
        }
        return redis.opsForValue().get(latestKey(key))
            .timeout(timeout)
            .flatMap(message -> Mono.justOrEmpty(read(message, key, false)))
            .onErrorResume(failed -> Mono.empty());
    }

    @Override
    public void release(WatchKey key) {
        if (!link.usable()) {
            return;
        }
        scripts.run("watch", RedisScripts.WATCH_RELEASE, List.of(lease(key)), replica)
            .subscribe(done -> { }, failed -> { });
    }

    /** The document, if the message reads as one of this key's room (and, for a broadcast, another replica's). */
    private RoomDocument read(String message, WatchKey key, boolean othersOnly) {
        try {
            Shared shared = json.readValue(message, Shared.class);
            if (shared == null || shared.document() == null || othersOnly && replica.equals(shared.replica())) {
                return null;
            }
            if (!key.roomId().equals(shared.document().roomId())) {
                link.ignored("watch_document", "a document of another room");
                return null;
            }
            return shared.document();
        }
        catch (RuntimeException unreadable) {
            link.ignored("watch_document", "unreadable (" + unreadable.getClass().getSimpleName() + ")");
            return null;
        }
    }

    private String lease(WatchKey key) {
        return scripts.key("watch", tag(key), ":lease");
    }

    private String latestKey(WatchKey key) {
        return scripts.key("watch", tag(key), ":latest");
    }

    private String channel(WatchKey key) {
        return keyPrefix + ":watch-documents:" + tag(key);
    }

    /** The key as a short name: room ids are bounded, but a selection of instances is not. */
    static String tag(WatchKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(key.roomId().getBytes(StandardCharsets.UTF_8));
            for (String provider : key.providers()) {
                digest.update((byte) 0);
                digest.update(provider.getBytes(StandardCharsets.UTF_8));
            }
            digest.update((byte) (key.participants() ? 1 : 0));
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        }
        catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", unavailable);
        }
    }
}
