package dev.roomgate.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;

/**
 * Asks every selected instance in parallel and merges their answers. Each instance gets its own budget inside the
 * whole-request budget; whatever happens to one instance becomes its {@link ProviderResult}, never an error.
 */
public final class RoomAggregator {

    private static final Logger log = LoggerFactory.getLogger(RoomAggregator.class);

    // The attempt deadlines inside UpstreamCalls end an instance's work on time; this outer limit only catches a
    // client that ignores them, so it must never be the one that fires first.
    private static final Duration SAFETY_MARGIN = Duration.ofMillis(100);

    // Less than this left means the instance used its whole budget (what remains could not fit another attempt).
    private static final Duration MIN_REMAINING = Duration.ofMillis(50);

    private final Duration requestTimeout;

    private final Clock clock;

    public RoomAggregator(Duration requestTimeout, Clock clock) {
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    public Mono<RoomDocument> aggregate(RoomQuery query, List<ProviderClient> selected) {
        return Flux.fromIterable(selected)
            .flatMapSequential(client -> fetch(client, query), Math.max(1, selected.size()))
            .collectList()
            .map(outcomes -> RoomDocument.of(query.roomId(), clock.instant(), outcomes));
    }

    private Mono<ProviderOutcome> fetch(ProviderClient client, RoomQuery query) {
        return Mono.defer(() -> {
            ProviderInstance instance = client.instance();
            Duration budget = instance.timeout().compareTo(requestTimeout) < 0 ? instance.timeout() : requestTimeout;
            CallContext context = CallContext.startingNow(instance, budget);
            long started = System.nanoTime();
            return client.fetchRoom(query, context)
                .timeout(budget.plus(SAFETY_MARGIN))
                .map(lookup -> success(lookup, context, started))
                .switchIfEmpty(Mono.fromSupplier(() -> failure(new IllegalStateException("client answered nothing"),
                        context, started, budget)))
                .onErrorResume(error -> Mono.just(failure(error, context, started, budget)));
        });
    }

    private static ProviderOutcome success(RoomLookup lookup, CallContext context, long started) {
        ProviderInstance instance = context.instance();
        if (lookup instanceof RoomLookup.Found found) {
            return new ProviderOutcome(result(context, ProviderStatus.OK, started, null), found.room());
        }
        log.debug("provider={} room not found: {}", instance.name(), ((RoomLookup.NotFound) lookup).reason());
        return new ProviderOutcome(result(context, ProviderStatus.NOT_FOUND, started, null), null);
    }

    private static ProviderOutcome failure(Throwable error, CallContext context, long started, Duration budget) {
        ProviderError providerError;
        ProviderStatus status;
        if (isTimeout(error)) {
            status = ProviderStatus.TIMEOUT;
            boolean wholeBudget = context.remaining().compareTo(MIN_REMAINING) <= 0;
            providerError = new ProviderError("UPSTREAM_TIMEOUT", wholeBudget ? "no answer within " + describe(budget)
                    : "no answer within an attempt's deadline, and no time or budget left to retry", null, null);
        }
        else if (error instanceof ProviderException classified) {
            status = classified.status();
            providerError = classified.toError();
        }
        else {
            // Not a classified provider failure: most likely an answer shaped in a way no mapper expects.
            log.error("provider={} answer could not be processed", context.instance().name(), error);
            status = ProviderStatus.INVALID_RESPONSE;
            providerError = new ProviderError("UNPROCESSABLE_ANSWER", "the provider's answer could not be processed",
                    null, null);
        }
        log.debug("provider={} status={} code={} message={}", context.instance().name(), status.wireName(),
                providerError.code(), providerError.message());
        return new ProviderOutcome(result(context, status, started, providerError), null);
    }

    private static boolean isTimeout(Throwable error) {
        return error instanceof TimeoutException
                || error instanceof ProviderException classified && classified.status() == ProviderStatus.TIMEOUT;
    }

    private static ProviderResult result(CallContext context, ProviderStatus status, long started,
            ProviderError error) {
        long latencyMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        ProviderInstance instance = context.instance();
        return new ProviderResult(instance.name(), instance.type(), status, latencyMs, context.retries(), "upstream",
                error);
    }

    private static String describe(Duration budget) {
        long millis = budget.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
