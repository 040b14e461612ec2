package dev.roomgate.cluster;

import java.time.Duration;
import java.util.function.Supplier;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/** Redis pub/sub subscriptions that outlive Redis outages. */
final class RedisSubscriptions {

    private static final Duration FIRST_RETRY = Duration.ofMillis(200);

    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private RedisSubscriptions() {
    }

    /**
     * The messages of {@code listen}, subscribed again whenever the subscription fails or ends. Subscribing opens a
     * connection, which blocks, and fails while Redis is away: so it happens off the subscriber's thread (the
     * start-up's, a loop's or a timer's), again and again until it holds, backing off from 200 ms to 5 s.
     */
    static <T> Flux<T> held(Supplier<? extends Publisher<? extends T>> listen) {
        return Flux.defer(() -> Flux.<T>from(listen.get()))
            .subscribeOn(Schedulers.boundedElastic())
            .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(LAST_RETRY))
            .repeatWhen(ended -> ended.delayElements(LAST_RETRY));
    }
}
