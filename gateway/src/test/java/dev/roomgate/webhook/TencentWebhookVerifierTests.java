package dev.roomgate.webhook;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.roomgate.config.Secret;
import dev.roomgate.emulator.WebhookSigner;
import dev.roomgate.emulator.WebhookSigner.SignedWebhook;
import dev.roomgate.schema.ProviderType;

import static dev.roomgate.webhook.PlugNmeetWebhookVerifierTests.assertSignatureRefused;
import static dev.roomgate.webhook.PlugNmeetWebhookVerifierTests.request;
import static org.assertj.core.api.Assertions.assertThat;

class TencentWebhookVerifierTests {

    static final long APP = 1400000000L;

    static final String TOKEN = "tencent-callback-token-value";

    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    static final String MEMBERS = "{\"CallbackCommand\":\"Live.CallbackAfterMemberStateChanged\","
            + "\"RoomId\":\"live-1\",\"EventType\":\"Online\",\"EventCause\":\"Enter\","
            + "\"MemberList\":[{\"Member_Account\":\"jared\"},{\"Member_Account\":\"ann\"}],"
            + "\"EventTime\":1700000000123}";

    static final String DESTROYED = "{\"CallbackCommand\":\"Live.CallbackAfterDestroyRoom\",\"Operator_Account\":\"a\","
            + "\"RoomId\":\"live-1\",\"EventType\":\"DestroyBySystem\",\"EventTime\":1700000000456,"
            + "\"RoomInfo\":{\"RoomName\":\"r\",\"Owner_Account\":144115216631667826}}";

    static final String CREATED = "{\"CallbackCommand\":\"Live.CallbackAfterCreateRoom\",\"Operator_Account\":\"a\","
            + "\"RoomInfo\":{\"RoomId\":\"live-2\",\"RoomName\":\"r\",\"RoomType\":\"Live\"},"
            + "\"EventTime\":1700000000789}";

    private final TencentWebhookVerifier verifier = verifierAt(NOW);

    static TencentWebhookVerifier verifierAt(Instant now) {
        return new TencentWebhookVerifier("tencent-sg", APP, Secret.of(TOKEN), Clock.fixed(now, ZoneOffset.UTC));
    }

    static SignedWebhook signed(String command, String body) {
        return WebhookSigner.tencent(APP, TOKEN, command, body, NOW);
    }

    private WebhookVerdict verify(SignedWebhook webhook) {
        return verifier.verify(request(webhook));
    }

    @Test
    void aMemberStateChangeIsAnEventAboutItsRoom() {
        assertThat(verify(signed("Live.CallbackAfterMemberStateChanged", MEMBERS))).isEqualTo(new WebhookEvent(
                "tencent-sg", ProviderType.TENCENT, "live-1", "Live.CallbackAfterMemberStateChanged",
                "Live.CallbackAfterMemberStateChanged|live-1|1700000000123|Online|jared,ann", false));
    }

    @Test
    void bothSpellingsOfTheMemberCommandAreTaken() {
        String body = MEMBERS.replace("CallbackAfterMemberStateChanged", "CallbackMemberStateChanged");
        assertThat(verify(signed("Live.CallbackMemberStateChanged", body)))
            .isInstanceOfSatisfying(WebhookEvent.class, e -> assertThat(e.type())
                .isEqualTo("Live.CallbackMemberStateChanged"));
    }

    @Test
    void theRoomIdMayBeInRoomInfoAndDestroyEndsTheRoom() {
        assertThat(verify(signed("Live.CallbackAfterCreateRoom", CREATED)))
            .isInstanceOfSatisfying(WebhookEvent.class, e -> {
                assertThat(e.roomId()).isEqualTo("live-2");
                assertThat(e.roomEnded()).isFalse();
            });
        assertThat(verify(signed("Live.CallbackAfterDestroyRoom", DESTROYED)))
            .isInstanceOfSatisfying(WebhookEvent.class, e -> assertThat(e.roomEnded()).isTrue());
    }

    @Test
    void queryNamesAreCaseInsensitiveAndHexEitherCase() {
        SignedWebhook webhook = signed("Live.CallbackAfterDestroyRoom", DESTROYED);
        SignedWebhook respelled = webhook.withQuery("SdkAppid", null)
            .withQuery("SdkAppId", String.valueOf(APP))
            .withQuery("Sign", webhook.query().get("Sign").toUpperCase());
        assertThat(verify(respelled)).isInstanceOf(WebhookEvent.class);
    }

    @Test
    void anotherAppIsRefused() {
        assertSignatureRefused(verify(WebhookSigner.tencent(1400000001L, TOKEN, "Live.CallbackAfterDestroyRoom",
                DESTROYED, NOW)), "SdkAppid");
        assertSignatureRefused(verify(signed("Live.CallbackAfterDestroyRoom", DESTROYED).withQuery("SdkAppid", null)),
                "no SdkAppid");
    }

    @Test
    void anotherTokenOrAMissingSignIsRefused() {
        assertSignatureRefused(verify(WebhookSigner.tencent(APP, "another-token", "Live.CallbackAfterDestroyRoom",
                DESTROYED, NOW)), "Sign does not match");
        assertSignatureRefused(verify(signed("Live.CallbackAfterDestroyRoom", DESTROYED).withQuery("Sign", null)),
                "no RequestTime and Sign");
        // The time is signed: moving it breaks the Sign.
        assertSignatureRefused(verify(signed("Live.CallbackAfterDestroyRoom", DESTROYED).withQuery("RequestTime",
                "1700000001")), "Sign does not match");
    }

    @Test
    void aStaleOrEarlyRequestTimeIsRefused() {
        SignedWebhook webhook = signed("Live.CallbackAfterDestroyRoom", DESTROYED);
        assertThat(verifierAt(NOW.plusSeconds(60)).verify(request(webhook))).isInstanceOf(WebhookEvent.class);
        assertThat(verifierAt(NOW.minusSeconds(60)).verify(request(webhook))).isInstanceOf(WebhookEvent.class);
        assertSignatureRefused(verifierAt(NOW.plusSeconds(61)).verify(request(webhook)), "more than 60 s");
        assertSignatureRefused(verifierAt(NOW.minusSeconds(61)).verify(request(webhook)), "more than 60 s");
    }

    @Test
    void signedButUnreadableBodiesAreBadRequests() {
        assertThat(verify(signed("Live.CallbackAfterDestroyRoom", "{")))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThat(verify(signed("Live.CallbackAfterSetMetadata",
                "{\"CallbackCommand\":\"Live.CallbackAfterSetMetadata\",\"Keys\":[\"k\"],\"EventTime\":1}")))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.detail()).contains("RoomId");
            });
        assertThat(verify(signed("Live.CallbackAfterCreateRoom", DESTROYED)))
            .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.detail()).contains("differ"));
    }

    @Test
    void withoutEventTimeTheRequestsSecondKeepsEventsApart() {
        String body = "{\"RoomId\":\"live-1\",\"EventType\":\"Offline\",\"MemberList\":[{\"Member_Account\":\"a\"}]}";
        assertThat(verify(signed("Live.CallbackAfterMemberStateChanged", body)))
            .isInstanceOfSatisfying(WebhookEvent.class, e -> assertThat(e.dedupeKey())
                .isEqualTo("Live.CallbackAfterMemberStateChanged|live-1|sent:1700000000|Offline|a"));
    }

    @Test
    void noRefusalQuotesTheToken() {
        SignedWebhook good = signed("Live.CallbackAfterDestroyRoom", DESTROYED);
        WebhookVerdict[] refusals = { verify(good.withQuery("Sign", "00")),
                verify(WebhookSigner.tencent(APP, "x", "Live.CallbackAfterDestroyRoom", DESTROYED, NOW)),
                verifierAt(NOW.plusSeconds(600)).verify(request(good)) };
        for (WebhookVerdict refusal : refusals) {
            assertThat(refusal).isInstanceOfSatisfying(WebhookRejection.class,
                    r -> assertThat(r.toString()).doesNotContain(TOKEN, good.query().get("Sign")));
        }
    }
}
