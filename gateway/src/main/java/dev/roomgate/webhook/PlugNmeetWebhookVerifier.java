package dev.roomgate.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import tools.jackson.databind.JsonNode;

import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.webhook.WebhookJson.Rejected;

/**
 * plugNmeet's webhooks (providers.md 7.1): an HS256 JWT in {@code Authorization} (no {@code Bearer }; the same token
 * in {@code Hash-Token}) signed with the instance's API secret, {@code iss} its API key, valid from {@code nbf} to
 * {@code exp} (the notifier gives it 5 minutes), and claim {@code sha256} the standard Base64 SHA-256 of the exact
 * body bytes; the body is a protojson {@code CommonNotifyEvent} with empty fields left out.
 * <p>
 * Nimbus parses the token; the MAC is computed here with the JCA because Nimbus's {@code MACVerifier} refuses
 * secrets under 256 bits, which plugNmeet (golang-jwt) accepts. Only HS256 is taken: {@code none} does not even parse
 * as a signed token, and any other algorithm (RS256 with the secret as a "public key", HS512) is refused before the
 * MAC.
 */
public final class PlugNmeetWebhookVerifier implements WebhookVerifier {

    /**
     * How far our clock and the plugNmeet server's may disagree: {@code nbf} is the sender's "now", so a sender a
     * little ahead would otherwise be refused. 30 s is small beside the token's 5 minutes.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** The events that say the room is over (providers.md 7.1: "remove"). */
    private static final Set<String> ROOM_ENDED = Set.of("room_finished", "session_ended");

    private final String instance;

    private final String apiKey;

    private final Secret apiSecret;

    private final Clock clock;

    public PlugNmeetWebhookVerifier(String instance, String apiKey, Secret apiSecret, Clock clock) {
        this.instance = instance;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.clock = clock;
    }

    @Override
    public ProviderType type() {
        return ProviderType.PLUGNMEET;
    }

    @Override
    public WebhookVerdict verify(WebhookRequest request) {
        try {
            checkToken(token(request), request.rawBody());
            return event(WebhookJson.object(request.rawBody()));
        }
        catch (Rejected rejected) {
            return rejected.rejection();
        }
    }

    private static String token(WebhookRequest request) {
        String token = request.header("Authorization");
        if (token == null || token.isBlank()) {
            token = request.header("Hash-Token");
        }
        if (token == null || token.isBlank()) {
            throw signature("no Authorization or Hash-Token header");
        }
        token = token.strip();
        // plugNmeet sends the bare token; a proxy or a hand-made test may add the scheme.
        return token.regionMatches(true, 0, "Bearer ", 0, 7) ? token.substring(7).strip() : token;
    }

    private void checkToken(String token, byte[] body) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        }
        catch (ParseException ex) {
            // Also alg "none", which Nimbus parses only as a PlainJWT.
            throw signature("the token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw signature("the token must be signed with HS256");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw signature("the token has critical header parameters we do not understand");
        }
        if (!MessageDigest.isEqual(hmac(jwt.getSigningInput()), jwt.getSignature().decode())) {
            throw signature("the token's signature does not match this instance's API secret");
        }
        if (!apiKey.equals(claims.getIssuer())) {
            throw signature("the token's issuer is not this instance's API key");
        }
        checkTimes(claims);
        Object claimed = claims.getClaim("sha256");
        String expected = Base64.getEncoder().encodeToString(WebhookJson.sha256(body));
        if (!(claimed instanceof String hash) || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.UTF_8))) {
            throw signature("the token's sha256 claim does not match the body");
        }
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw signature("the token has no expiry (exp)");
        }
        if (!now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
            throw signature("the token has expired; check that both clocks are right");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(CLOCK_SKEW))) {
            throw signature("the token is not valid yet; check that both clocks are right");
        }
    }

    private byte[] hmac(byte[] signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiSecret.utf8(), "HmacSHA256"));
            return mac.doFinal(signingInput);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", ex);
        }
    }

    /**
     * Deliveries of one event share its {@code id} (the notifier sets it once, before signing and before retries);
     * a notifier that sent none gets one made of what identifies the event.
     */
    private WebhookEvent event(JsonNode body) {
        String event = WebhookJson.required(body.path("event"), "event").toLowerCase(Locale.ROOT);
        String roomId = WebhookJson.required(body.path("room").path("room_id"), "room (room.room_id)");
        String id = WebhookJson.text(body.path("id"));
        String dedupeKey = id != null ? "id:" + id
                : String.join("|", event, roomId, String.valueOf(WebhookJson.text(body.path("room").path("sid"))),
                        String.valueOf(WebhookJson.text(body.path("participant").path("sid"))),
                        String.valueOf(WebhookJson.text(body.path("track").path("sid"))),
                        String.valueOf(WebhookJson.text(body.path("created_at"))));
        return new WebhookEvent(instance, ProviderType.PLUGNMEET, roomId, event, dedupeKey,
                ROOM_ENDED.contains(event));
    }

    private static Rejected signature(String detail) {
        return new Rejected(WebhookRejection.signature(detail));
    }
}
