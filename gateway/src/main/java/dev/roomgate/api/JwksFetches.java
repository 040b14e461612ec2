package dev.roomgate.api;

import java.time.Duration;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Bounds how often the key set is fetched. Spring Security's decoder caches the JWKS and fetches it again for every
 * token whose key id it does not know, with no limit: a flood of tokens with made-up key ids would become a flood
 * of requests to the issuer. No library setting bounds that for the reactive decoder, hence this filter on its
 * client: concurrent fetches share one, and within {@code minInterval} of a fetch its answer is replayed (the
 * decoder then finds the key id still unknown and refuses the token). A failed fetch is replayed for a second, so
 * an issuer outage costs it at most one request a second.
 */
final class JwksFetches implements ExchangeFilterFunction {

    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    private record Body(HttpStatusCode status, HttpHeaders headers, String text) {
    }

    private final class Fetch {

        final Mono<Body> body;

        final long startedAt;

        volatile long validForNanos = minInterval.toNanos();

        Fetch(Mono<Body> upstream, long startedAt) {
            this.startedAt = startedAt;
            this.body = upstream
                .timeout(timeout)
                .doOnNext(answer -> {
                    if (!answer.status().is2xxSuccessful()) {
                        failed();
                    }
                })
                .doOnError(error -> failed())
                .cache();
        }

        private void failed() {
            validForNanos = Math.min(validForNanos, AFTER_FAILURE.toNanos());
        }

        boolean fresh(long now) {
            return now - startedAt < validForNanos;
        }
    }

    private final Duration minInterval;

    private final Duration timeout;

    private final LongSupplier nanoTime;

    private Fetch last;

    JwksFetches(Duration minInterval, Duration timeout, LongSupplier nanoTime) {
        this.minInterval = minInterval;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.defer(() -> current(request, next).body)
            .map(body -> ClientResponse.create(body.status())
                .headers(headers -> headers.addAll(body.headers()))
                .body(body.text())
                .build());
    }

    private synchronized Fetch current(ClientRequest request, ExchangeFunction next) {
        long now = nanoTime.getAsLong();
        if (last == null || !last.fresh(now)) {
            last = new Fetch(next.exchange(request).flatMap(response -> response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .map(text -> new Body(response.statusCode(), response.headers().asHttpHeaders(), text))), now);
        }
        return last;
    }
}
