package dev.roomgate.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

/**
 * A token bucket per client, in this replica's memory: the limit on one node, and each replica's share of it in
 * cluster mode while Redis cannot be reached. Buckets of clients gone quiet are forgotten once they would be full
 * again anyway, so many distinct clients cost bounded memory.
 */
public final class LocalClientRateLimiter implements ClientRateLimiter {

    private static final int MAX_CLIENTS = 100_000;

    private final double perSecond;

    private final int burst;

    private final LongSupplier nanoTime;

    private final Cache<String, Bucket> buckets;

    public LocalClientRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        Duration refill = Duration.ofMillis((long) Math.ceil(burst * 1000 / perSecond));
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_CLIENTS).expireAfterAccess(refill).build();
    }

    @Override
    public Mono<Verdict> admit(String client) {
        return Mono.fromSupplier(() -> buckets.get(client, name -> new Bucket(burst, nanoTime.getAsLong()))
            .take(nanoTime.getAsLong()));
    }

    private final class Bucket {

        private double tokens;

        private long refilledAt;

        private Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }

        synchronized Verdict take(long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Verdict.ALLOWED;
            }
            return Verdict.refused(Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9)));
        }
    }
}
