package dev.roomgate.provider;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.schema.ProviderStatus;

/**
 * How a provider client calls its instance: the seam between a client, which knows what to send and how to read
 * the answer, and the policy that decides whether, when and how often it goes out (quota, retries, breaker). The
 * provider side owns it so that clients never depend on how the policy is built; {@code resilience} implements it.
 */
public interface CallPolicy {

    /**
     * @param api the provider operation, for the meters (a bounded set: one name per operation)
     * @param attempt one upstream call, re-subscribed for each attempt; it signals a classified
     *        {@link ProviderException} when it fails
     */
    <T> Mono<T> call(CallBudget budget, String api, Mono<T> attempt);

    /**
     * {@link #call}, for a provider's room listing, which may have a frequency limit of its own below the
     * instance's (Tencent's {@code get_room_list}: {@code list-rate-limit}); it counts against both.
     */
    default <T> Mono<T> listingCall(CallBudget budget, String api, Mono<T> attempt) {
        return call(budget, api, attempt);
    }

    /** One attempt under the budget's deadline, nothing else: for tests of a client's wire behaviour. */
    static CallPolicy direct() {
        return new CallPolicy() {
            @Override
            public <T> Mono<T> call(CallBudget budget, String api, Mono<T> attempt) {
                return Mono.defer(() -> {
                    budget.recordAttempt(false);
                    Duration deadline = budget.remaining();
                    return attempt.timeout(deadline).onErrorMap(TimeoutException.class, late -> ProviderException
                        .of(ProviderStatus.TIMEOUT, "UPSTREAM_TIMEOUT", "no answer in time").build());
                });
            }
        };
    }

    /** Where each instance's policy comes from. */
    @FunctionalInterface
    interface Factory {

        CallPolicy forInstance(ProviderInstance instance);
    }
}
