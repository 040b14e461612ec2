package dev.roomgate.webhook;

/** What a {@link WebhookVerifier} made of one request: a verified {@link WebhookEvent} or a rejection. */
public sealed interface WebhookVerdict permits WebhookEvent, WebhookRejection {
}
