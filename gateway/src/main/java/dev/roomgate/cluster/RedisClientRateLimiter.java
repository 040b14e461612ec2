package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;

import dev.roomgate.resilience.ClientRateLimiter;

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

    private final int burst;

    private final RedisScripts scripts;

    RedisClientRateLimiter(RedisRateLimiter redis, int perSecond, int burst, ClientRateLimiter localShare,
            RedisLink link, RedisScripts scripts, Duration timeout, String keyPrefix) {
        this.redis = redis;
        this.burst = burst;
        this.scripts = scripts;
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
                .flatMap(response -> plausible(response) ? Mono.just(verdict(response, sent))
                        : odd(client, sent))
                .onErrorResume(error -> failed(client, error, sent));
        });
    }

    /**
     * The limiter failed (it then reports -1 tokens) or reported tokens a bucket cannot hold: either Redis is in
     * trouble, or the client's bucket holds a value the limiter's script never writes (another type fails that
     * script on every call; a negative count refuses the client for long). client-limit-check.lua tells the two
     * apart and clears a malformed bucket, which is then ignored: counted, and this request judged by the local
     * share without setting Redis aside. Only when the bucket was fine is it Redis that failed.
     */
    private Mono<Verdict> odd(String client, long sent) {
        return scripts.runForNumber("client_limit", RedisScripts.CLIENT_LIMIT_CHECK, bucketKeys(client),
                Integer.toString(burst))
            .flatMap(cleared -> {
                if (cleared == 1L) {
                    link.ignored("client_limit", "a client's bucket held a value the limiter never writes; cleared");
                    return localShare.admit(client);
                }
                return failed(client, new IllegalStateException("Redis error"), sent);
            })
            // The check itself failed: the link has heard of it.
            .onErrorResume(error -> localShare.admit(client));
    }

    /** Spring Cloud Gateway's keys for one client's bucket (RedisRateLimiter.getKeys). */
    List<String> bucketKeys(String client) {
        String prefix = "request_rate_limiter.{" + LIMIT + "." + keyPrefix + ":" + client + "}.";
        return List.of(prefix + "tokens", prefix + "timestamp");
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

    /**
     * Whether the reply is one the limiter gives when it worked: a count of tokens left between 0 and the burst.
     * It says Redis failed by allowing the request and reporting -1.
     */
    private boolean plausible(RateLimiter.Response response) {
        String header = response.getHeaders().get(redis.getRemainingHeader());
        if (header == null) {
            return true;    // headers turned off: nothing to judge by
        }
        try {
            long remaining = Long.parseLong(header);
            return remaining >= 0 && remaining <= burst;
        }
        catch (NumberFormatException unreadable) {
            return false;
        }
    }
}
