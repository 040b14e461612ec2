package dev.roomgate.webhook;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import tools.jackson.databind.JsonNode;

import dev.roomgate.schema.ProviderType;
import dev.roomgate.webhook.WebhookJson.Rejected;

/**
 * VideoSDK's webhooks (providers.md 7.2): header {@code videosdk-signature}, the Base64 RSA-SHA256 (PKCS#1 v1.5)
 * signature of the raw body under the key VideoSDK publishes; body {@code {"webhookType":…,"data":{…}}}
 * ({@code type} is an alias). There is no timestamp or event id, so a captured webhook can be replayed: harmless
 * here, since a webhook only makes us read the room again.
 */
public final class VideoSdkWebhookVerifier implements WebhookVerifier {

    private final String instance;

    private final RSAPublicKey publicKey;

    public VideoSdkWebhookVerifier(String instance, RSAPublicKey publicKey) {
        this.instance = instance;
        this.publicKey = publicKey;
    }

    /**
     * @param publicKeyPem the PEM text of the signing key
     * @throws IllegalArgumentException when it holds no RSA public key
     */
    public static VideoSdkWebhookVerifier of(String instance, String publicKeyPem) {
        return new VideoSdkWebhookVerifier(instance, RsaPublicKeys.parse(publicKeyPem));
    }

    @Override
    public ProviderType type() {
        return ProviderType.VIDEOSDK;
    }

    @Override
    public WebhookVerdict verify(WebhookRequest request) {
        try {
            checkSignature(request.header("videosdk-signature"), request.rawBody());
            return event(WebhookJson.object(request.rawBody()));
        }
        catch (Rejected rejected) {
            return rejected.rejection();
        }
    }

    private void checkSignature(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw signature("no videosdk-signature header");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(header.strip());
        }
        catch (IllegalArgumentException ex) {
            throw signature("the videosdk-signature header is not Base64");
        }
        boolean valid;
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update(body);
            valid = rsa.verify(signature);
        }
        catch (GeneralSecurityException ex) {
            // A signature of the wrong length or shape: as wrong as a mismatch.
            valid = false;
        }
        if (!valid) {
            throw signature("the videosdk-signature does not match the body under the configured public key");
        }
    }

    /**
     * No event id exists (UNCONFIRMED, providers.md 7.2), so deliveries of one event are recognized by what they
     * say: type, session and participant. The same participant joining the same session twice within the dedupe
     * window looks like a retry; the intake keeps VideoSDK's window short for that reason.
     */
    private WebhookEvent event(JsonNode body) {
        String type = WebhookJson.text(body.path("webhookType"));
        type = type != null ? type : WebhookJson.required(body.path("type"), "event type (webhookType)");
        JsonNode data = body.path("data");
        String roomId = WebhookJson.required(data.path("meetingId"), "room (data.meetingId)");
        String dedupeKey = String.join("|", type, roomId, String.valueOf(WebhookJson.text(data.path("sessionId"))),
                String.valueOf(WebhookJson.text(data.path("participantId"))));
        return new WebhookEvent(instance, ProviderType.VIDEOSDK, roomId, type, dedupeKey,
                "session-ended".equals(type));
    }

    private static Rejected signature(String detail) {
        return new Rejected(WebhookRejection.signature(detail));
    }
}
