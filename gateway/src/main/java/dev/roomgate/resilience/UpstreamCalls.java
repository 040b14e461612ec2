package dev.roomgate.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import dev.roomgate.aggregate.CallContext;
import dev.roomgate.aggregate.ProviderException;

/**
 * Applies the resilience policy to every single upstream HTTP call, in one place. Order, outermost first:
 * retry (per call, so a failed page is retried, not the whole listing) around the attempt itself.
 * The instance's overall deadline is enforced by the aggregator around the whole lookup.
 */
public final class UpstreamCalls {

    private static final Duration BASE_BACKOFF = Duration.ofMillis(50);

    private static final Duration MAX_BACKOFF = Duration.ofMillis(1000);

    /**
     * @param attempt one upstream call, re-subscribed for each attempt; it signals a classified
     *        {@link ProviderException} when it fails
     */
    public <T> Mono<T> execute(CallContext context, Mono<T> attempt) {
        int maxAttempts = context.instance().maxAttempts();
        AtomicBoolean firstAttempt = new AtomicBoolean(true);
        Mono<T> counted = Mono.defer(() -> {
            context.recordAttempt(!firstAttempt.getAndSet(false));
            return attempt;
        });
        if (maxAttempts <= 1) {
            return counted;
        }
        return counted.retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            long retriesSoFar = signal.totalRetries();
            if (!(failure instanceof ProviderException classified) || !classified.retryable()
                    || retriesSoFar + 1 >= maxAttempts) {
                return Mono.error(failure);
            }
            Duration pause = backoff(retriesSoFar, classified.retryAfter());
            // An attempt that cannot finish before the deadline only burns quota: give up with the real cause.
            if (pause.compareTo(context.remaining()) >= 0) {
                return Mono.error(failure);
            }
            return Mono.delay(pause);
        })));
    }

    /** Exponential backoff with full jitter, or the provider's own Retry-After when it asked for longer. */
    static Duration backoff(long retriesSoFar, Duration retryAfter) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(retriesSoFar, 10));
        Duration jittered = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }
}
