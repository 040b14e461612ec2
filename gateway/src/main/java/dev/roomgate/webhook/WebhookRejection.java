package dev.roomgate.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * A webhook refused, and the problem answer to give (contract 2.4 and 4): nothing was done with it. {@code detail}
 * is written by us and never quotes a secret, a signature or the sender's input.
 *
 * @param kind why, which fixes the HTTP status and the metric outcome
 * @param problem the stable problem slug ({@code urn:roomgate:problem:<problem>})
 * @param detail one sentence for the operator reading the provider's delivery log
 * @param retryAfter for {@link Kind#RATE_LIMITED}: when one more will be taken; zero otherwise
 */
public record WebhookRejection(Kind kind, String problem, String detail, Duration retryAfter)
        implements WebhookVerdict, WebhookOutcome {

    /** Signature, instance or time checks failed: the sender could not be trusted. */
    static final String INVALID_SIGNATURE = "invalid-webhook-signature";

    /** Verified (or not yet checkable), but not a webhook we can read. */
    static final String INVALID_BODY = "invalid-webhook-body";

    public WebhookRejection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(detail, "detail");
        retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    }

    static WebhookRejection signature(String detail) {
        return new WebhookRejection(Kind.SIGNATURE, INVALID_SIGNATURE, detail, Duration.ZERO);
    }

    static WebhookRejection body(String detail) {
        return new WebhookRejection(Kind.BODY, INVALID_BODY, detail, Duration.ZERO);
    }

    @Override
    public int status() {
        return kind.status;
    }

    @Override
    public String outcome() {
        return kind.outcome;
    }

    /** The kinds of refusal, each with its HTTP status and its {@code outcome} tag on {@code roomgate.webhooks}. */
    public enum Kind {

        /** 401: missing, bad or expired signature, wrong issuer or SdkAppid, or no webhooks at this address. */
        SIGNATURE(401, "rejected_signature"),

        /** 400: too large, not JSON, or naming no room or event. */
        BODY(400, "rejected_body"),

        /** 429: more than the instance's {@code webhook.requests-per-second}. */
        RATE_LIMITED(429, "rate_limited");

        private final int status;

        private final String outcome;

        Kind(int status, String outcome) {
            this.status = status;
            this.outcome = outcome;
        }
    }
}
