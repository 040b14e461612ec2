package dev.roomgate.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import tools.jackson.databind.JsonNode;

/**
 * Checks a VideoSDK v2 management token: a raw HS256 JWT (no "Bearer "), signed with the project secret, for this
 * API key, {@code version} 2, unexpired, with the {@code crawler} role (providers.md 3.1).
 */
final class VideoSdkTokenVerifier {

    /** Why a token was refused: the HTTP status (401 or 403) and the message for the error body. */
    record Rejection(int status, String message) {
    }

    private final String apiKey;

    private final String secret;

    VideoSdkTokenVerifier(String apiKey, String secret) {
        this.apiKey = apiKey;
        this.secret = secret;
    }

    /** Null when the Authorization header value is acceptable at {@code nowSeconds}. */
    Rejection verify(String authorization, long nowSeconds) {
        if (authorization == null || authorization.isBlank()) {
            return unauthorized("Token is required");
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("Invalid token: pass the JWT without a \"Bearer \" prefix");
        }
        String[] parts = authorization.split("\\.", -1);
        if (parts.length != 3) {
            return unauthorized("Invalid token: malformed JWT");
        }
        JsonNode header = decode(parts[0]);
        JsonNode payload = decode(parts[1]);
        if (header == null || payload == null) {
            return unauthorized("Invalid token: malformed JWT");
        }
        if (!"HS256".equals(header.path("alg").asString(""))) {
            return unauthorized("Invalid token: algorithm must be HS256");
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        String expected = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Crypto.hmacSha256(secret, signingInput));
        if (!Crypto.constantTimeEquals(expected, parts[2])) {
            return unauthorized("Invalid token: signature verification failed");
        }
        JsonNode exp = payload.path("exp");
        if (!exp.isNumber()) {
            return unauthorized("Invalid token: exp is required");
        }
        if (exp.asDouble() <= nowSeconds) {
            return unauthorized("Token expired");
        }
        if (!apiKey.equals(payload.path("apikey").asString(null))) {
            return unauthorized("Invalid token: unknown apikey");
        }
        JsonNode version = payload.path("version");
        if (!version.isIntegralNumber() || version.asLong() != 2) {
            return unauthorized("Invalid token: version 2 is required for the v2 API");
        }
        if (!hasRole(payload.path("roles"), "crawler")) {
            return new Rejection(403, "Token lacks the crawler role required for server-side APIs");
        }
        return null;
    }

    private static boolean hasRole(JsonNode roles, String role) {
        for (JsonNode each : roles) {
            if (each.isString() && each.stringValue().equals(role)) {
                return true;
            }
        }
        return false;
    }

    /** A base64url (unpadded) JSON object, or null. */
    private static JsonNode decode(String part) {
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            return null;
        }
        try {
            JsonNode node = Json.parseOrNull(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
            return node != null && node.isObject() ? node : null;
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static Rejection unauthorized(String message) {
        return new Rejection(401, message);
    }
}
