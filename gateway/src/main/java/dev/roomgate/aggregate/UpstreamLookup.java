package dev.roomgate.aggregate;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;

/**
 * One real lookup at one instance within a budget, every outcome turned into a {@link Fetched} value: it never
 * signals an error, so a lookup shared by many requests reaches all of them the same way.
 */
public final class UpstreamLookup {

    private static final Logger log = LoggerFactory.getLogger(UpstreamLookup.class);

    // The attempt deadlines inside the resilience policy end an instance's work on time; this outer limit only
    // catches a client that ignores them, so it must never be the one that fires first.
    private static final Duration SAFETY_MARGIN = Duration.ofMillis(100);

    // Less than this left means the instance used its whole budget (what remains could not fit another attempt).
    private static final Duration MIN_REMAINING = Duration.ofMillis(50);

    private UpstreamLookup() {
    }

    public static Mono<Fetched> fetch(ProviderClient client, RoomQuery query, Duration budget) {
        return Mono.defer(() -> {
            CallContext context = CallContext.startingNow(client.instance(), budget);
            return client.fetchRoom(query, context)
                .timeout(budget.plus(SAFETY_MARGIN))
                .map(lookup -> success(lookup, context))
                .switchIfEmpty(Mono.fromSupplier(() -> failure(new IllegalStateException("client answered nothing"),
                        context, budget)))
                .onErrorResume(error -> Mono.just(failure(error, context, budget)));
        });
    }

    /** A lookup that got no answer because its budget ran out before it could. */
    public static Fetched timedOut(Duration budget) {
        return new Fetched(null, ProviderStatus.TIMEOUT, timeoutError(budget), 0);
    }

    private static Fetched success(RoomLookup lookup, CallContext context) {
        if (lookup instanceof RoomLookup.NotFound notFound) {
            log.debug("provider={} room not found: {}", context.instance().name(), notFound.reason());
        }
        return new Fetched(lookup, null, null, context.retries());
    }

    private static Fetched failure(Throwable error, CallContext context, Duration budget) {
        ProviderInstance instance = context.instance();
        ProviderStatus status;
        ProviderError providerError;
        if (isTimeout(error)) {
            status = ProviderStatus.TIMEOUT;
            boolean wholeBudget = context.remaining().compareTo(MIN_REMAINING) <= 0;
            providerError = wholeBudget ? timeoutError(budget) : new ProviderError("UPSTREAM_TIMEOUT",
                    "no answer within an attempt's deadline, and no time or budget left to retry", null, null);
        }
        else if (error instanceof ProviderException classified) {
            status = classified.status();
            providerError = classified.toError();
        }
        else {
            // Not a classified provider failure: most likely an answer shaped in a way no mapper expects.
            log.error("provider={} answer could not be processed", instance.name(), error);
            status = ProviderStatus.INVALID_RESPONSE;
            providerError = new ProviderError("UNPROCESSABLE_ANSWER", "the provider's answer could not be processed",
                    null, null);
        }
        log.debug("provider={} status={} code={} message={}", instance.name(), status.wireName(),
                providerError.code(), providerError.message());
        return new Fetched(null, status, providerError, context.retries());
    }

    private static ProviderError timeoutError(Duration budget) {
        return new ProviderError("UPSTREAM_TIMEOUT", "no answer within " + describe(budget), null, null);
    }

    private static boolean isTimeout(Throwable error) {
        return error instanceof TimeoutException
                || error instanceof ProviderException classified && classified.status() == ProviderStatus.TIMEOUT;
    }

    private static String describe(Duration budget) {
        long millis = budget.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
