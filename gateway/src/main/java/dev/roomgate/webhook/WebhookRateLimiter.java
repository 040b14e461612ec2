package dev.roomgate.webhook;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} tokens a second, as many at once. One per instance, in this replica's memory
 * (a provider spreads its deliveries over the replicas behind the load balancer, so the cluster takes up to
 * replicas × the rate). Not {@code resilience.LocalClientRateLimiter}: that one keys buckets by client and answers
 * in a {@code Mono}, and the webhook package stays below {@code resilience} in the layers.
 */
final class WebhookRateLimiter {

    private final double perSecond;

    private final LongSupplier nanoTime;

    private double tokens;

    private long refilledAt;

    /** @param nanoTime monotonic time, the application's {@code Ticker} */
    WebhookRateLimiter(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.tokens = perSecond;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** @return zero when one more is allowed now (and taken), else how long until one will be */
    synchronized Duration take() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
    }
}
