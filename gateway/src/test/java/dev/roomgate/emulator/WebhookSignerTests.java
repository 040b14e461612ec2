package dev.roomgate.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.roomgate.emulator.WebhookSigner.SignedWebhook;

import static org.assertj.core.api.Assertions.assertThat;

/** The signed webhooks have the shape providers.md 7 describes, checked from the bytes, not with a verifier. */
class WebhookSignerTests {

    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void plugNmeetClaimsMatchTheNotifiersExample() {
        SignedWebhook webhook = WebhookSigner.plugNmeet("plugnmeet", "a-secret", "", NOW);
        String token = webhook.headers().get("Authorization");
        assertThat(webhook.headers()).containsEntry("Hash-Token", token)
            .containsEntry("Content-Type", "application/json");
        assertThat(token).doesNotStartWith("Bearer ").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        JsonNode claims = Json.parseOrNull(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
        // providers.md 7.1's example claims, for an empty body.
        assertThat(claims.path("iss").asString()).isEqualTo("plugnmeet");
        assertThat(claims.path("iat").asLong()).isEqualTo(1_700_000_000L);
        assertThat(claims.path("nbf").asLong()).isEqualTo(1_700_000_000L);
        assertThat(claims.path("exp").asLong()).isEqualTo(1_700_000_300L);
        assertThat(claims.path("sha256").asString()).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertThat(claims.has("sub")).isFalse();
    }

    @Test
    void tencentSignsTokenAndRequestTime() {
        SignedWebhook webhook = WebhookSigner.tencent(1400000000L, "tok", "Live.CallbackAfterCreateRoom", "{}", NOW);
        assertThat(webhook.query()).containsEntry("SdkAppid", "1400000000")
            .containsEntry("CallbackCommand", "Live.CallbackAfterCreateRoom")
            .containsEntry("RequestTime", "1700000000");
        // sha256("tok1700000000"), computed independently with sha256sum.
        assertThat(webhook.query().get("Sign"))
            .isEqualTo("1f4112aa726e20f097d526ff82863c835ad47a6a34dc4ca14240702535c75dbc");
        assertThat(webhook.queryString())
            .startsWith("SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterCreateRoom");
    }

    @Test
    void videoSdkPemIsTheX509Form() {
        String pem = WebhookSigner.pem(WebhookSigner.videoSdkKeyPair().getPublic());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(pem.lines().filter(line -> !line.startsWith("-----"))).allMatch(line -> line.length() <= 64);
    }
}
