package dev.roomgate.webhook;

import dev.roomgate.schema.ProviderType;

/**
 * What {@link WebhookIntake#receive} did with one webhook, and what to answer: an {@link Accepted} (2xx, a duplicate
 * too, so that the provider stops retrying it) or a {@link WebhookRejection} (a problem answer).
 */
public sealed interface WebhookOutcome permits WebhookOutcome.Accepted, WebhookRejection {

    /** The HTTP status to answer with. */
    int status();

    /** The {@code outcome} tag it was counted under on {@code roomgate.webhooks}. */
    String outcome();

    /**
     * A verified webhook: handed to every {@link RoomChanged} listener, unless it was a duplicate.
     *
     * @param duplicate an event already taken in within the dedupe window; nobody was told again
     */
    record Accepted(WebhookEvent event, boolean duplicate) implements WebhookOutcome {

        /** Tencent's expected reply (providers.md 7.3); the other providers read nothing back. */
        public static final String TENCENT_REPLY = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

        /** 200 with {@link #body()} for Tencent, which expects a body; 204 for the others. */
        @Override
        public int status() {
            return event.provider() == ProviderType.TENCENT ? 200 : 204;
        }

        @Override
        public String outcome() {
            return duplicate ? "duplicate" : "accepted";
        }

        /** The JSON body to answer with ({@code application/json}), or null for none. */
        public String body() {
            return event.provider() == ProviderType.TENCENT ? TENCENT_REPLY : null;
        }
    }
}
