package dev.roomgate.webhook;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.roomgate.emulator.WebhookSigner;
import dev.roomgate.emulator.WebhookSigner.SignedWebhook;
import dev.roomgate.schema.ProviderType;

import static dev.roomgate.webhook.PlugNmeetWebhookVerifierTests.assertSignatureRefused;
import static dev.roomgate.webhook.PlugNmeetWebhookVerifierTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoSdkWebhookVerifierTests {

    static final KeyPair KEYS = WebhookSigner.videoSdkKeyPair();

    static final String JOINED = "{\"webhookType\":\"participant-joined\",\"data\":{\"meetingId\":\"jvsg-8rjn-j304\","
            + "\"sessionId\":\"613731342f27f56e4fc4b6d0\",\"participantId\":\"fkd74h\",\"participantName\":\"John\"}}";

    private final VideoSdkWebhookVerifier verifier = VideoSdkWebhookVerifier.of("videosdk-main",
            WebhookSigner.pem(KEYS.getPublic()));

    private WebhookVerdict verify(SignedWebhook webhook) {
        return verifier.verify(request(webhook));
    }

    @Test
    void aSignedJoinIsAnEventAboutItsMeeting() {
        assertThat(verify(WebhookSigner.videoSdk(KEYS.getPrivate(), JOINED))).isEqualTo(new WebhookEvent(
                "videosdk-main", ProviderType.VIDEOSDK, "jvsg-8rjn-j304", "participant-joined",
                "participant-joined|jvsg-8rjn-j304|613731342f27f56e4fc4b6d0|fkd74h", false));
    }

    @Test
    void typeIsAnAliasOfWebhookTypeAndSessionEndedEndsTheRoom() {
        String body = "{\"type\":\"session-ended\",\"data\":{\"meetingId\":\"m-1\",\"sessionId\":\"s-1\","
                + "\"start\":\"2022-07-05T15:55:35.047+00:00\",\"end\":\"2022-07-05T16:55:35.047+00:00\"}}";
        assertThat(verify(WebhookSigner.videoSdk(KEYS.getPrivate(), body)))
            .isInstanceOfSatisfying(WebhookEvent.class, event -> {
                assertThat(event.type()).isEqualTo("session-ended");
                assertThat(event.roomEnded()).isTrue();
                assertThat(event.roomId()).isEqualTo("m-1");
            });
    }

    @Test
    void theRawBytesAreVerifiedNotAReserializedBody() {
        // Whitespace a re-stringifying verifier (the docs' Node sample) would lose.
        String spaced = "{ \"webhookType\" : \"session-started\",\n  \"data\": {\"meetingId\":\"m-2\"} }";
        assertThat(verify(WebhookSigner.videoSdk(KEYS.getPrivate(), spaced))).isInstanceOf(WebhookEvent.class);
    }

    @Test
    void aTamperedBodyIsRefused() {
        SignedWebhook webhook = WebhookSigner.videoSdk(KEYS.getPrivate(), JOINED);
        assertSignatureRefused(verify(webhook.withBody(JOINED.replace("fkd74h", "other").getBytes(
                StandardCharsets.UTF_8))), "does not match");
    }

    @Test
    void aSignatureOfAnotherKeyIsRefused() {
        KeyPair other = WebhookSigner.videoSdkKeyPair();
        assertSignatureRefused(verify(WebhookSigner.videoSdk(other.getPrivate(), JOINED)), "does not match");
    }

    @Test
    void aMissingOrMalformedSignatureIsRefused() {
        SignedWebhook webhook = WebhookSigner.videoSdk(KEYS.getPrivate(), JOINED);
        assertSignatureRefused(verify(webhook.withHeader("videosdk-signature", null)), "no videosdk-signature");
        assertSignatureRefused(verify(webhook.withHeader("videosdk-signature", "%%%")), "not Base64");
        assertSignatureRefused(verify(webhook.withHeader("videosdk-signature",
                Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3 }))), "does not match");
    }

    @Test
    void theHeaderNameIsCaseInsensitive() {
        SignedWebhook webhook = WebhookSigner.videoSdk(KEYS.getPrivate(), JOINED);
        String signature = webhook.headers().get("videosdk-signature");
        assertThat(verify(webhook.withHeader("videosdk-signature", null).withHeader("VideoSDK-Signature", signature)))
            .isInstanceOf(WebhookEvent.class);
    }

    @Test
    void signedButUnreadableBodiesAreBadRequests() {
        assertThat(verify(WebhookSigner.videoSdk(KEYS.getPrivate(), "not json")))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThat(verify(WebhookSigner.videoSdk(KEYS.getPrivate(),
                "{\"webhookType\":\"participant-joined\",\"data\":{\"sessionId\":\"s\"}}")))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.detail()).contains("data.meetingId");
            });
        assertThat(verify(WebhookSigner.videoSdk(KEYS.getPrivate(), "{\"data\":{\"meetingId\":\"m\"}}")))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.detail()).contains("webhookType"));
    }

    @Test
    void thePkcs1FormAndEscapedLineBreaksAreReadToo() {
        // The PKCS#1 RSAPublicKey is the BIT STRING's content inside the X.509 form: 24 bytes in for a 2048-bit key.
        byte[] spki = KEYS.getPublic().getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length);
        String pkcs1Pem = "-----BEGIN RSA PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PUBLIC KEY-----";
        SignedWebhook webhook = WebhookSigner.videoSdk(KEYS.getPrivate(), JOINED);
        assertThat(VideoSdkWebhookVerifier.of("v", pkcs1Pem).verify(request(webhook))).isInstanceOf(WebhookEvent.class);
        String oneLine = WebhookSigner.pem(KEYS.getPublic()).replace("\n", "\\n");
        assertThat(VideoSdkWebhookVerifier.of("v", oneLine).verify(request(webhook))).isInstanceOf(WebhookEvent.class);
    }

    @Test
    void somethingElseThanAKeyIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> VideoSdkWebhookVerifier.of("v", "secret-looking-text"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
        assertThatThrownBy(() -> VideoSdkWebhookVerifier.of("v",
                "-----BEGIN PUBLIC KEY-----\nAAAAsecret\n-----END PUBLIC KEY-----"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("is not a valid PEM RSA public key");
    }
}
