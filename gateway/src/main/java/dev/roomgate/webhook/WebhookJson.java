package dev.roomgate.webhook;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading webhook bodies, and the digests their signatures use. */
final class WebhookJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private WebhookJson() {
    }

    /** The body as a JSON object, or a 400 rejection; a verified sender's body only. */
    static JsonNode object(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : MAPPER.readTree(body);
        }
        catch (JacksonException ex) {
            // Jackson's message quotes the input; ours does not.
            throw new Rejected(WebhookRejection.body("the body is not JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new Rejected(WebhookRejection.body("the body is not a JSON object"));
        }
        return node;
    }

    /** A string or number field as text; null when absent, null or empty (protojson omits empty fields). */
    static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        String text = node.isString() ? node.stringValue() : node.isNumber() || node.isBoolean() ? node.asString()
                : null;
        return text == null || text.isEmpty() ? null : text;
    }

    static String required(JsonNode node, String what) {
        String value = text(node);
        if (value == null || value.isBlank()) {
            throw new Rejected(WebhookRejection.body("the body names no " + what));
        }
        return value;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JRE", ex);
        }
    }

    /** A rejection thrown from deep in a verifier and turned back into a value at its edge. */
    static final class Rejected extends RuntimeException {

        private final WebhookRejection rejection;

        Rejected(WebhookRejection rejection) {
            super(rejection.detail(), null, false, false);
            this.rejection = rejection;
        }

        WebhookRejection rejection() {
            return rejection;
        }
    }
}
