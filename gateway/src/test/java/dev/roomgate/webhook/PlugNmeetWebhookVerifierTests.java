package dev.roomgate.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.roomgate.config.Secret;
import dev.roomgate.emulator.WebhookSigner;
import dev.roomgate.emulator.WebhookSigner.SignedWebhook;
import dev.roomgate.schema.ProviderType;

import static org.assertj.core.api.Assertions.assertThat;

class PlugNmeetWebhookVerifierTests {

    static final String KEY = "plugnmeet";

    static final String SECRET = "zumyyYWqv7KR2kUqvYdq4z4sXg7XTBD2ljT6";

    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    static final String JOINED = "{\"event\":\"participant_joined\",\"room\":{\"sid\":\"RM_abc\","
            + "\"room_id\":\"room01\",\"empty_timeout\":1800,\"max_participants\":100,"
            + "\"creation_time\":\"1700000000\",\"metadata\":\"{}\",\"num_participants\":2},"
            + "\"participant\":{\"sid\":\"PA_x\",\"identity\":\"user01\",\"state\":\"ACTIVE\","
            + "\"joined_at\":\"1700000005\",\"name\":\"User 1\"},\"id\":\"EV_xyz\",\"created_at\":\"1700000005\"}";

    private final PlugNmeetWebhookVerifier verifier = verifierAt(NOW);

    static PlugNmeetWebhookVerifier verifierAt(Instant now) {
        return new PlugNmeetWebhookVerifier("plugnmeet-main", KEY, Secret.of(SECRET), Clock.fixed(now, ZoneOffset.UTC));
    }

    static WebhookRequest request(SignedWebhook webhook) {
        return new WebhookRequest(webhook.headerLists(), webhook.queryLists(), webhook.body());
    }

    private WebhookVerdict verify(SignedWebhook webhook) {
        return verifier.verify(request(webhook));
    }

    @Test
    void aSignedJoinIsAnEventAboutItsRoom() {
        WebhookVerdict verdict = verify(WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW));
        assertThat(verdict).isEqualTo(new WebhookEvent("plugnmeet-main", ProviderType.PLUGNMEET, "room01",
                "participant_joined", "id:EV_xyz", false));
    }

    @Test
    void roomFinishedAndSessionEndedEndTheRoom() {
        for (String event : new String[] { "room_finished", "session_ended" }) {
            String body = "{\"event\":\"" + event + "\",\"room\":{\"room_id\":\"room01\"},\"id\":\"EV_" + event + "\"}";
            assertThat(verify(WebhookSigner.plugNmeet(KEY, SECRET, body, NOW)))
                .isInstanceOfSatisfying(WebhookEvent.class, e -> assertThat(e.roomEnded()).isTrue());
        }
        assertThat(verify(WebhookSigner.plugNmeet(KEY, SECRET,
                "{\"event\":\"room_started\",\"room\":{\"room_id\":\"room01\"}}", NOW)))
            .isInstanceOfSatisfying(WebhookEvent.class, e -> assertThat(e.roomEnded()).isFalse());
    }

    @Test
    void theHashTokenHeaderAloneIsEnough() {
        SignedWebhook webhook = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW).withHeader("Authorization", null);
        assertThat(verify(webhook)).isInstanceOf(WebhookEvent.class);
    }

    @Test
    void withoutAnIdTheDedupeKeyIsMadeOfTheEvent() {
        String body = "{\"event\":\"participant_left\",\"room\":{\"sid\":\"RM_1\",\"room_id\":\"r\"},"
                + "\"participant\":{\"sid\":\"PA_1\"},\"created_at\":\"1700000009\"}";
        assertThat(verify(WebhookSigner.plugNmeet(KEY, SECRET, body, NOW)))
            .isInstanceOfSatisfying(WebhookEvent.class, e -> assertThat(e.dedupeKey())
                .isEqualTo("participant_left|r|RM_1|PA_1|null|1700000009"));
    }

    @Test
    void aTamperedBodyIsRefused() {
        SignedWebhook webhook = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW);
        byte[] tampered = JOINED.replace("room01", "room02").getBytes(StandardCharsets.UTF_8);
        assertSignatureRefused(verify(webhook.withBody(tampered)), "sha256 claim does not match the body");
        // One more space is another body too: the hash is over the exact bytes.
        assertSignatureRefused(verify(webhook.withBody((JOINED + " ").getBytes(StandardCharsets.UTF_8))),
                "sha256 claim");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        assertSignatureRefused(verify(WebhookSigner.plugNmeet(KEY, "another-secret-of-some-length", JOINED, NOW)),
                "signature does not match");
    }

    @Test
    void aTokenOfAnotherKeyIsRefused() {
        assertSignatureRefused(verify(WebhookSigner.plugNmeet("another-key", SECRET, JOINED, NOW)), "issuer");
    }

    @Test
    void anExpiredTokenIsRefusedPastTheSkew() {
        SignedWebhook webhook = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW);
        // exp is NOW + 5 min; 30 s of skew are allowed.
        assertThat(verifierAt(NOW.plus(Duration.ofMinutes(5)).plusSeconds(29)).verify(request(webhook)))
            .isInstanceOf(WebhookEvent.class);
        assertSignatureRefused(verifierAt(NOW.plus(Duration.ofMinutes(5)).plusSeconds(30)).verify(request(webhook)),
                "expired");
    }

    @Test
    void aTokenNotValidYetIsRefusedPastTheSkew() {
        SignedWebhook webhook = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW);
        assertThat(verifierAt(NOW.minusSeconds(30)).verify(request(webhook))).isInstanceOf(WebhookEvent.class);
        assertSignatureRefused(verifierAt(NOW.minusSeconds(31)).verify(request(webhook)), "not valid yet");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        String claims = "{\"iss\":\"plugnmeet\",\"nbf\":1700000000,\"sha256\":\"" + bodyHash(JOINED) + "\"}";
        String token = WebhookSigner.hs256Jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, SECRET);
        assertSignatureRefused(verify(WebhookSigner.plugNmeetWithToken(token, bytes(JOINED))), "no expiry");
    }

    @Test
    void algNoneIsRefused() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"plugnmeet\",\"nbf\":1700000000,\"exp\":1700000300,\"sha256\":\""
                + bodyHash(JOINED) + "\"}";
        String unsigned = url.encodeToString(bytes("{\"alg\":\"none\",\"typ\":\"JWT\"}")) + "."
                + url.encodeToString(bytes(claims)) + ".";
        assertSignatureRefused(verify(WebhookSigner.plugNmeetWithToken(unsigned, bytes(JOINED))), "signed JWT");
        // "none" with the HS256 signature kept: the header decides, and it is not HS256.
        String signed = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW).headers().get("Authorization");
        String relabelled = url.encodeToString(bytes("{\"alg\":\"none\"}")) + signed.substring(signed.indexOf('.'));
        assertSignatureRefused(verify(WebhookSigner.plugNmeetWithToken(relabelled, bytes(JOINED))), "signed JWT");
    }

    @Test
    void otherAlgorithmsAreRefused() {
        String claims = "{\"iss\":\"plugnmeet\",\"nbf\":1700000000,\"exp\":1700000300,\"sha256\":\""
                + bodyHash(JOINED) + "\"}";
        // The MAC is right for the secret; only the algorithm named is wrong.
        String hs512 = WebhookSigner.hs256Jwt("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", claims, SECRET);
        assertSignatureRefused(verify(WebhookSigner.plugNmeetWithToken(hs512, bytes(JOINED))), "HS256");
        String rs256 = WebhookSigner.hs256Jwt("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims, SECRET);
        assertSignatureRefused(verify(WebhookSigner.plugNmeetWithToken(rs256, bytes(JOINED))), "HS256");
    }

    @Test
    void aShortSecretWorksAsItDoesInPlugNmeet() {
        PlugNmeetWebhookVerifier shortSecret = new PlugNmeetWebhookVerifier("p", KEY, Secret.of("short"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(shortSecret.verify(request(WebhookSigner.plugNmeet(KEY, "short", JOINED, NOW))))
            .isInstanceOf(WebhookEvent.class);
    }

    @Test
    void noTokenIsRefused() {
        SignedWebhook webhook = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW)
            .withHeader("Authorization", null)
            .withHeader("Hash-Token", null);
        assertSignatureRefused(verify(webhook), "no Authorization");
        assertSignatureRefused(verify(webhook.withHeader("Authorization", "not-a-jwt")), "signed JWT");
    }

    @Test
    void aSignedBodyThatIsNotJsonIsABadRequest() {
        WebhookVerdict verdict = verify(WebhookSigner.plugNmeet(KEY, SECRET, "{\"event\":", NOW));
        assertThat(verdict).isInstanceOfSatisfying(WebhookRejection.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.problem()).isEqualTo("invalid-webhook-body");
        });
        assertThat(verify(WebhookSigner.plugNmeet(KEY, SECRET, "[1]", NOW)))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void aSignedBodyWithoutARoomIsABadRequest() {
        WebhookVerdict verdict = verify(WebhookSigner.plugNmeet(KEY, SECRET,
                "{\"event\":\"analytics_proceeded\",\"analytics\":{\"file_id\":\"f\"},\"id\":\"EV_1\"}", NOW));
        assertThat(verdict).isInstanceOfSatisfying(WebhookRejection.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.detail()).contains("room.room_id");
        });
    }

    @Test
    void noRefusalQuotesTheSecretOrTheToken() {
        SignedWebhook good = WebhookSigner.plugNmeet(KEY, SECRET, JOINED, NOW);
        String token = good.headers().get("Authorization");
        WebhookVerdict[] refusals = { verify(good.withBody(bytes(JOINED + "x"))),
                verify(WebhookSigner.plugNmeet(KEY, "wrong-secret", JOINED, NOW)),
                verify(WebhookSigner.plugNmeet("k2", SECRET, JOINED, NOW)),
                verifierAt(NOW.plusSeconds(3600)).verify(request(good)),
                verify(good.withHeader("Authorization", token + "x")) };
        for (WebhookVerdict refusal : refusals) {
            assertThat(refusal).isInstanceOfSatisfying(WebhookRejection.class,
                    r -> assertThat(r.toString()).doesNotContain(SECRET, token,
                            token.substring(token.lastIndexOf('.') + 1)));
        }
    }

    static void assertSignatureRefused(WebhookVerdict verdict, String detail) {
        assertThat(verdict).isInstanceOfSatisfying(WebhookRejection.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.problem()).isEqualTo("invalid-webhook-signature");
            assertThat(r.outcome()).isEqualTo("rejected_signature");
            assertThat(r.detail()).contains(detail);
        });
    }

    private static String bodyHash(String body) {
        try {
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(bytes(body)));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
