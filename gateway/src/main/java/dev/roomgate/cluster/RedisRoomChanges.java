package dev.roomgate.cluster;

import java.time.Duration;

import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.roomgate.schema.ProviderType;
import dev.roomgate.webhook.RoomChangeRelay;
import dev.roomgate.webhook.RoomChanged;
import dev.roomgate.webhook.WebhookEvent;

/**
 * Verified webhooks relayed between replicas over one Redis pub/sub channel, so that each marks its own kept
 * answers out of date and wakes its own watch loops. A replica ignores what it sent itself, and anything on the
 * channel that does not read as a change of a configured kind. While Redis is away nothing is relayed; the
 * subscription comes back on its own.
 */
final class RedisRoomChanges implements RoomChangeRelay, DisposableBean {

    /** What travels: the event, and who sent it. */
    record Relayed(String replica, String instance, String provider, String roomId, String type, String dedupeKey,
            boolean roomEnded) {
    }

    private final ReactiveStringRedisTemplate redis;

    private final RedisLink link;

    private final JsonMapper json;

    private final String channel;

    private final String replica;

    private final Duration timeout;

    private volatile Disposable subscription;

    RedisRoomChanges(ReactiveStringRedisTemplate redis, RedisLink link, JsonMapper json, String keyPrefix,
            String replica, Duration timeout) {
        this.redis = redis;
        this.link = link;
        this.json = json;
        this.channel = keyPrefix + ":room-changed";
        this.replica = replica;
        this.timeout = timeout;
    }

    @Override
    public void publish(WebhookEvent event) {
        if (!link.usable()) {
            return;
        }
        String message = json.writeValueAsString(new Relayed(replica, event.instance(), event.provider().wireName(),
                event.roomId(), event.type(), event.dedupeKey(), event.roomEnded()));
        long sent = link.now();
        redis.convertAndSend(channel, message)
            .timeout(timeout)
            .subscribe(received -> link.answered(sent), failed -> link.failed("room_changed", failed, sent));
    }

    @Override
    public void deliverTo(RoomChanged local) {
        subscription = RedisSubscriptions.held(() -> redis.listenToChannel(channel))
            .subscribe(message -> deliver(message.getMessage(), local), failed -> { });
    }

    private void deliver(String message, RoomChanged local) {
        WebhookEvent event;
        try {
            Relayed relayed = json.readValue(message, Relayed.class);
            if (relayed == null || replica.equals(relayed.replica())) {
                return;
            }
            ProviderType provider = ProviderType.fromWireName(String.valueOf(relayed.provider())).orElseThrow();
            event = new WebhookEvent(relayed.instance(), provider, relayed.roomId(), relayed.type(),
                    relayed.dedupeKey(), relayed.roomEnded());
        }
        catch (RuntimeException unreadable) {
            link.ignored("room_changed", "unreadable (" + unreadable.getClass().getSimpleName() + ")");
            return;
        }
        local.changed(event);
    }

    @Override
    public void destroy() {
        Disposable running = subscription;
        if (running != null) {
            running.dispose();
        }
    }
}
