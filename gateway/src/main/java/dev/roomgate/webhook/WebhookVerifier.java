package dev.roomgate.webhook;

import dev.roomgate.schema.ProviderType;

/**
 * Verifies and reads one provider instance's webhooks, the way that provider signs them (providers.md 7). Pure: no
 * I/O, time from an injected clock. The signature is checked before the body is read, so an unverified body is
 * never parsed.
 */
public interface WebhookVerifier {

    ProviderType type();

    /** The verified event, or why not; never throws for anything the sender controls. */
    WebhookVerdict verify(WebhookRequest request);
}
