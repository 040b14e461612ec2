package dev.roomgate.aggregate;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.observability.RequestIdLogging;
import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderStatus;

/**
 * One real lookup at one instance within a budget, every outcome turned into an {@link InstanceAnswer}: it never
 * signals an error, so a lookup shared by many requests reaches all of them the same way. This is the one edge
 * where a {@link ProviderException} becomes an {@link Outcome.Failed}.
 */
public final class UpstreamLookup {

    private static final Logger log = LoggerFactory.getLogger(UpstreamLookup.class);

    private UpstreamLookup() {
    }

    public static Mono<InstanceAnswer> fetch(ProviderClient client, RoomQuery query, CallBudget budget) {
        // The outcome is logged where it is classified, under the id of the request that asked (RequestIdLogging).
        return Mono.deferContextual(context -> client.fetchRoom(query, budget)
            .timeout(budget.backstop())
            .map(outcome -> RequestIdLogging.in(context, () -> success(client.instance(), outcome, budget)))
            .switchIfEmpty(Mono.fromSupplier(() -> RequestIdLogging.in(context, () -> failure(client.instance(),
                    new IllegalStateException("client answered nothing"), budget))))
            .onErrorResume(error -> Mono.just(RequestIdLogging.in(context,
                    () -> failure(client.instance(), error, budget)))));
    }

    /** A lookup that got no answer because the requester's budget ran out before it could. */
    public static InstanceAnswer timedOut(CallBudget budget) {
        return InstanceAnswer.fetched(new Outcome.Failed(ProviderStatus.TIMEOUT, timeoutError(budget.total())), 0);
    }

    private static InstanceAnswer success(ProviderInstance instance, Outcome outcome, CallBudget budget) {
        if (outcome instanceof Outcome.NotFound notFound) {
            log.debug("provider={} room not found: {}", instance.name(), notFound.reason());
        }
        if (!outcome.isAnswer()) {
            throw new IllegalStateException("a client answers found or not found, and signals failures");
        }
        return InstanceAnswer.fetched(outcome, budget.retries());
    }

    private static InstanceAnswer failure(ProviderInstance instance, Throwable error, CallBudget budget) {
        return InstanceAnswer.fetched(failed(instance, error, budget), budget.retries());
    }

    /** Any failure of a call within {@code budget} as the status and error the answer reports. */
    public static Outcome.Failed failed(ProviderInstance instance, Throwable error, CallBudget budget) {
        ProviderStatus status;
        ProviderError providerError;
        if (isTimeout(error)) {
            status = ProviderStatus.TIMEOUT;
            providerError = budget.isSpent() ? timeoutError(budget.total()) : new ProviderError("UPSTREAM_TIMEOUT",
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
        return new Outcome.Failed(status, providerError);
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
