package dev.roomgate.resilience;

import java.time.Duration;

import reactor.core.publisher.Mono;

/** Decides whether one client may make one more request now. */
@FunctionalInterface
public interface ClientRateLimiter {

    /**
     * @param client who asks: {@code key:<name>}, {@code sub:<subject>} or {@code ip:<address>}
     * @return the verdict; never an error
     */
    Mono<Verdict> admit(String client);

    /** @param retryAfter for a refusal: when one request will be allowed again */
    record Verdict(boolean allowed, Duration retryAfter) {

        public static final Verdict ALLOWED = new Verdict(true, Duration.ZERO);

        public static Verdict refused(Duration retryAfter) {
            return new Verdict(false, retryAfter);
        }

        /** {@code Retry-After} in whole seconds, rounded up: an earlier retry would only be refused again. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
