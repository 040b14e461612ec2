package dev.roomgate.cluster;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.cache.RoomFetcher;
import dev.roomgate.config.FleetProperties;
import dev.roomgate.fleet.ListingReader;
import dev.roomgate.config.RoomgateProperties.ClientRateLimitProperties;
import dev.roomgate.config.RoomgateProperties.ClusterProperties;
import dev.roomgate.config.RoomgateProperties;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.resilience.ClientRateLimiter;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.resilience.LocalClientRateLimiter;
import dev.roomgate.resilience.SharedQuotas;
import dev.roomgate.watch.LoopSharing;
import dev.roomgate.webhook.RoomChangeRelay;

/**
 * Cluster mode ({@code roomgate.cluster.enabled}): the provider quotas, fetches and client limits shared through
 * Redis. Without it none of these beans exist and nothing connects to Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "roomgate.cluster.enabled", havingValue = "true")
class ClusterConfiguration {

    /** Unique per process, so two replicas never take each other's leases or permits for their own. */
    private final String replica = UUID.randomUUID().toString().substring(0, 13);

    @Bean
    RedisLink redisLink(RoomgateProperties properties, MeterRegistry meters, Ticker ticker) {
        ClusterProperties cluster = properties.cluster();
        return new RedisLink(cluster.retryRedisAfter(), cluster.expectedReplicas(), meters, ticker::nanoTime);
    }

    @Bean
    RedisScripts redisScripts(ReactiveStringRedisTemplate redis, RedisLink link, RoomgateProperties properties,
            MeterRegistry meters) {
        return new RedisScripts(redis, link, properties.cluster().redisTimeout(), properties.cluster().keyPrefix(),
                meters);
    }

    /** Connects to Redis as soon as the application has started, without holding start-up up. */
    @Bean
    ApplicationListener<ApplicationStartedEvent> redisWarmUp(RedisScripts scripts, RedisLink link) {
        return started -> {
            long sent = link.now();
            scripts.warmUp()
                .timeout(WARM_UP)
                .subscribe(null, error -> link.failed("warm_up", error, sent), () -> link.answered(sent));
        };
    }

    /** Asks Redis while it is set aside, so that a replica no request reaches also returns to sharing. */
    @Bean(destroyMethod = "dispose")
    Disposable redisProbe(RedisScripts scripts, RedisLink link) {
        return link.probe(scripts::ping);
    }

    private static final Duration WARM_UP = Duration.ofSeconds(5);

    @Bean
    SharedQuotas redisSharedQuotas(RedisScripts scripts, RedisLink link, RoomgateProperties properties,
            MeterRegistry meters, Ticker ticker) {
        return new RedisSharedQuotas(scripts, link, properties.cluster(), replica, meters, ticker::nanoTime);
    }

    /** Each replica's allotment of every shared quota, rebalanced by demand through Redis. */
    @Bean(destroyMethod = "dispose")
    Disposable quotaAllotments(ProviderInstances instances, InstanceGuards guards, RedisScripts scripts,
            RedisLink link, MeterRegistry meters) {
        return new QuotaAllotments(instances.enabled(), guards, scripts, link, replica, meters).start();
    }

    @Bean
    RoomFetcher clusterRoomFetcher(RedisScripts scripts, RedisLink link, RoomgateProperties properties,
            Ticker ticker) {
        return new ClusterRoomFetcher(scripts, link, properties.cache(), properties.cluster().coalesceLease(),
                replica, ticker);
    }

    /** Verified webhooks reach every replica's kept answers and watch loops, not only the one that took them. */
    @Bean
    RoomChangeRelay redisRoomChanges(ReactiveStringRedisTemplate redis, RedisLink link, JsonMapper json,
            RoomgateProperties properties) {
        return new RedisRoomChanges(redis, link, json, properties.cluster().keyPrefix(), replica,
                properties.cluster().redisTimeout());
    }

    /** One loop per watched room for all replicas: a Redis lease, and the documents fanned out over pub/sub. */
    @Bean
    LoopSharing redisLoopSharing(RedisScripts scripts, ReactiveStringRedisTemplate redis, RedisLink link,
            JsonMapper json, RoomgateProperties properties) {
        return new RedisLoopSharing(scripts, redis, link, json, properties.cluster().keyPrefix(), replica,
                properties.cluster().redisTimeout());
    }

    @Bean
    ListingReader clusterListingReader(RedisScripts scripts, RedisLink link, FleetProperties fleet, Ticker ticker) {
        return new ClusterListingReader(scripts, link, fleet, replica, ticker);
    }

    @Bean
    ClientRateLimiter redisClientRateLimiter(RedisRateLimiter redis, RedisLink link, RedisScripts scripts,
            RoomgateProperties properties, Ticker ticker) {
        ClientRateLimitProperties limit = properties.clientRateLimit();
        ClusterProperties cluster = properties.cluster();
        int replicas = cluster.expectedReplicas();
        ClientRateLimiter share = new LocalClientRateLimiter((double) limit.requestsPerSecond() / replicas,
                Math.max(1, limit.burst() / replicas), ticker::nanoTime);
        return new RedisClientRateLimiter(redis, limit.requestsPerSecond(), limit.burst(), share, link, scripts,
                cluster.redisTimeout(), cluster.keyPrefix());
    }

    /**
     * Reconnects within a second of Redis returning: Lettuce's default backoff grows to 30 s, which would keep a
     * replica on its local share long after a short outage.
     */
    @Bean
    ClientResourcesBuilderCustomizer promptReconnect() {
        return resources -> resources.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
                TimeUnit.MILLISECONDS));
    }

    /**
     * Commands sent while the connection is down fail at once instead of queueing until it returns (Lettuce's
     * default), which would hold every request for the whole outage and grow the queue without bound. Replies are
     * handed on off Lettuce's I/O thread: otherwise the rest of a request (the fan-out, the answer, its log line)
     * runs on the thread that reads Redis, and every other replica call waits behind it.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .publishOnScheduler(true);
    }
}
