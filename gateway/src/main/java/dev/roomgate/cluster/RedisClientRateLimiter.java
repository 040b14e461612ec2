package dev.roomgate.cluster;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;

import dev.roomgate.api.ClientRateLimiter;

/**
 * The client limit shared by all replicas: Spring Cloud Gateway's {@link RedisRateLimiter} (a token bucket per
 * client in Redis, timed by the Redis clock). That limiter lets every request through when Redis fails, which would
 * leave clients unlimited during an outage; here each replica then keeps to its share of the limit instead.
 */
final class RedisClientRateLimiter implements ClientRateLimiter {

    private static final String LIMIT = "roomgate-clients";

    private final RedisRateLimiter redis;

    private final ClientRateLimiter localShare;

    private final RedisLink link;

    private final Duration timeout;

    private final String keyPrefix;

    private final double perSecond;

    RedisClientRateLimiter(RedisRateLimiter redis, int perSecond, int burst, ClientRateLimiter localShare,
            RedisLink link, Duration timeout, String keyPrefix) {
        this.redis = redis;
        this.localShare = localShare;
        this.link = link;
        this.timeout = timeout;
        this.keyPrefix = keyPrefix;
        this.perSecond = perSecond;
        redis.getConfig().put(LIMIT, new RedisRateLimiter.Config().setReplenishRate(perSecond)
            .setBurstCapacity(burst)
            .setRequestedTokens(1));
    }

    @Override
    public Mono<Verdict> admit(String client) {
        if (!link.usable()) {
            return localShare.admit(client);
        }
        return Mono.defer(() -> {
            long sent = link.now();
            return redis.isAllowed(LIMIT, keyPrefix + ":" + client)
                .timeout(timeout)
                .flatMap(response -> failedOpen(response)
                        ? failed(client, new IllegalStateException("Redis error"), sent)
                        : Mono.just(verdict(response, sent)))
                .onErrorResume(error -> failed(client, error, sent));
        });
    }

    /** This request is judged by the local share; Redis is set aside only if it is really gone (RedisLink). */
    private Mono<Verdict> failed(String client, Throwable error, long sent) {
        link.failed("client_limit", error, sent);
        return localShare.admit(client);
    }

    private Verdict verdict(RateLimiter.Response response, long sent) {
        link.answered(sent);
        // The bucket refills one token in 1 / rate seconds; a refused client may try again then.
        return response.isAllowed() ? Verdict.ALLOWED
                : Verdict.refused(Duration.ofNanos((long) Math.ceil(1e9 / perSecond)));
    }

    /** How RedisRateLimiter says Redis failed: it allows the request and reports -1 tokens remaining. */
    private boolean failedOpen(RateLimiter.Response response) {
        return "-1".equals(response.getHeaders().get(redis.getRemainingHeader()));
    }
}
