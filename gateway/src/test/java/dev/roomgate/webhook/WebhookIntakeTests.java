package dev.roomgate.webhook;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.roomgate.config.InvalidConfigurationException;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.config.RoomgateProperties;
import dev.roomgate.emulator.WebhookSigner;
import dev.roomgate.emulator.WebhookSigner.SignedWebhook;
import dev.roomgate.support.ManualTicker;
import dev.roomgate.webhook.WebhookOutcome.Accepted;

import static dev.roomgate.webhook.PlugNmeetWebhookVerifierTests.JOINED;
import static dev.roomgate.webhook.PlugNmeetWebhookVerifierTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookIntakeTests {

    private static final Instant NOW = PlugNmeetWebhookVerifierTests.NOW;

    private static final String PN_KEY = PlugNmeetWebhookVerifierTests.KEY;

    private static final String PN_SECRET = PlugNmeetWebhookVerifierTests.SECRET;

    private static final KeyPair VIDEOSDK = VideoSdkWebhookVerifierTests.KEYS;

    private final ManualTicker ticker = new ManualTicker();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final List<WebhookEvent> told = new ArrayList<>();

    private final WebhookIntake intake = intake(configured(), told::add);

    private static Map<String, String> configured() {
        Map<String, String> keys = new LinkedHashMap<>();
        put(keys, "pn", "type", "plugnmeet", "credentials.api-key", PN_KEY, "credentials.api-secret", PN_SECRET,
                "webhook.enabled", "true", "webhook.requests-per-second", "3");
        put(keys, "tc", "type", "tencent", "credentials.sdk-app-id", String.valueOf(TencentWebhookVerifierTests.APP),
                "credentials.identifier", "administrator", "credentials.secret-key", "tencent-secret-key-value",
                "webhook.enabled", "true", "webhook.token", TencentWebhookVerifierTests.TOKEN);
        put(keys, "vs", "type", "videosdk", "credentials.api-key", "vkey", "credentials.secret", "videosdk-secret",
                "webhook.enabled", "true", "webhook.public-key", WebhookSigner.pem(VIDEOSDK.getPublic()));
        put(keys, "off", "type", "plugnmeet", "credentials.api-key", PN_KEY, "credentials.api-secret", PN_SECRET);
        put(keys, "idle", "type", "plugnmeet", "credentials.api-key", PN_KEY, "credentials.api-secret", PN_SECRET,
                "enabled", "false", "webhook.enabled", "true");
        return keys;
    }

    private static void put(Map<String, String> keys, String instance, String... pairs) {
        keys.put("roomgate.providers." + instance + ".base-url", "https://" + instance + ".example.com");
        for (int i = 0; i < pairs.length; i += 2) {
            keys.put("roomgate.providers." + instance + "." + pairs[i], pairs[i + 1]);
        }
    }

    private WebhookIntake intake(Map<String, String> keys, RoomChanged... listeners) {
        RoomgateProperties properties = new Binder(new MapConfigurationPropertySource(keys))
            .bind("roomgate", RoomgateProperties.class)
            .get();
        return new WebhookIntake(ProviderInstances.from(properties), Clock.fixed(NOW, ZoneOffset.UTC),
                ticker::nanoTime, meters, List.of(listeners));
    }

    private WebhookOutcome plugNmeet(String body) {
        return intake.receive("pn", request(WebhookSigner.plugNmeet(PN_KEY, PN_SECRET, body, NOW)));
    }

    private double count(String provider, String type, String outcome) {
        var counter = meters.find("roomgate.webhooks")
            .tags("provider", provider, "type", type, "outcome", outcome)
            .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aVerifiedWebhookIsToldToEveryListenerAndCounted() {
        WebhookOutcome outcome = plugNmeet(JOINED);
        assertThat(outcome).isInstanceOfSatisfying(Accepted.class, accepted -> {
            assertThat(accepted.status()).isEqualTo(204);
            assertThat(accepted.body()).isNull();
            assertThat(accepted.duplicate()).isFalse();
        });
        assertThat(told).extracting(WebhookEvent::roomId).containsExactly("room01");
        assertThat(count("pn", "participant_joined", "accepted")).isEqualTo(1);
    }

    @Test
    void tencentIsAnsweredWhatItExpects() {
        WebhookOutcome outcome = intake.receive("tc", request(TencentWebhookVerifierTests.signed(
                "Live.CallbackAfterDestroyRoom", TencentWebhookVerifierTests.DESTROYED)));
        assertThat(outcome).isInstanceOfSatisfying(Accepted.class, accepted -> {
            assertThat(accepted.status()).isEqualTo(200);
            assertThat(accepted.body()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
        });
        assertThat(told).singleElement().satisfies(event -> assertThat(event.roomEnded()).isTrue());
        assertThat(count("tc", "Live.CallbackAfterDestroyRoom", "accepted")).isEqualTo(1);
    }

    @Test
    void aDuplicateIsAnsweredButNotToldAgainWithinItsWindow() {
        plugNmeet(JOINED);
        assertThat(plugNmeet(JOINED)).isInstanceOfSatisfying(Accepted.class, accepted -> {
            assertThat(accepted.duplicate()).isTrue();
            assertThat(accepted.status()).isEqualTo(204);
        });
        assertThat(told).hasSize(1);
        assertThat(count("pn", "participant_joined", "duplicate")).isEqualTo(1);
        ticker.advance(Duration.ofMinutes(10));
        assertThat(plugNmeet(JOINED)).isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.duplicate()).isFalse());
        assertThat(told).hasSize(2);
    }

    @Test
    void videoSdksWindowIsShortBecauseItsKeyHasNoTime() {
        SignedWebhook joined = WebhookSigner.videoSdk(VIDEOSDK.getPrivate(), VideoSdkWebhookVerifierTests.JOINED);
        intake.receive("vs", request(joined));
        ticker.advance(Duration.ofSeconds(29));
        assertThat(intake.receive("vs", request(joined)))
            .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.duplicate()).isTrue());
        ticker.advance(Duration.ofSeconds(31));
        assertThat(intake.receive("vs", request(joined)))
            .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.duplicate()).isFalse());
        assertThat(told).hasSize(2);
    }

    @Test
    void theSameEventFromAnotherInstanceIsNoDuplicate() {
        Map<String, String> keys = configured();
        put(keys, "pn2", "type", "plugnmeet", "credentials.api-key", PN_KEY, "credentials.api-secret", PN_SECRET,
                "webhook.enabled", "true");
        WebhookIntake two = intake(keys, told::add);
        SignedWebhook webhook = WebhookSigner.plugNmeet(PN_KEY, PN_SECRET, JOINED, NOW);
        two.receive("pn", request(webhook));
        two.receive("pn2", request(webhook));
        assertThat(told).extracting(WebhookEvent::instance).containsExactly("pn", "pn2");
    }

    @Test
    void pastItsRateAnInstanceIsToldToComeBack() {
        for (int i = 0; i < 3; i++) {
            assertThat(plugNmeet(event(i))).isInstanceOf(Accepted.class);
        }
        assertThat(plugNmeet(event(3))).isInstanceOfSatisfying(WebhookRejection.class, refused -> {
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.problem()).isEqualTo("too-many-webhooks");
            assertThat(refused.retryAfter()).isEqualTo(Duration.ofNanos(333_333_334));
        });
        assertThat(count("pn", "participant_joined", "rate_limited")).isEqualTo(1);
        // Other instances have their own budget.
        assertThat(intake.receive("tc", request(TencentWebhookVerifierTests.signed("Live.CallbackAfterDestroyRoom",
                TencentWebhookVerifierTests.DESTROYED)))).isInstanceOf(Accepted.class);
        ticker.advance(Duration.ofMillis(334));
        assertThat(plugNmeet(event(3))).isInstanceOf(Accepted.class);
        assertThat(told).hasSize(5);
    }

    @Test
    void forgedWebhooksDoNotSpendTheRate() {
        for (int i = 0; i < 10; i++) {
            intake.receive("pn", request(WebhookSigner.plugNmeet(PN_KEY, "forged-secret", event(i), NOW)));
        }
        assertThat(count("pn", "unknown", "rejected_signature")).isEqualTo(10);
        assertThat(plugNmeet(JOINED)).isInstanceOf(Accepted.class);
    }

    @Test
    void aForgedWebhookChangesNothing() {
        WebhookOutcome outcome = intake.receive("pn",
                request(WebhookSigner.plugNmeet(PN_KEY, "forged-secret", JOINED, NOW)));
        assertThat(outcome).isInstanceOfSatisfying(WebhookRejection.class, refused -> {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.problem()).isEqualTo("invalid-webhook-signature");
        });
        assertThat(told).isEmpty();
        // Nor does it count as seen: the real one after it is taken.
        assertThat(plugNmeet(JOINED)).isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.duplicate()).isFalse());
    }

    @Test
    void aBodyOverOneMebibyteIsABadRequestBeforeAnythingElse() {
        byte[] big = new byte[WebhookIntake.MAX_BODY_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        SignedWebhook signedBig = WebhookSigner.plugNmeet(PN_KEY, PN_SECRET,
                JOINED + new String(big, StandardCharsets.US_ASCII), NOW);
        for (WebhookOutcome outcome : List.of(intake.receive("pn", request(signedBig)), intake.tooLarge("pn"))) {
            assertThat(outcome).isInstanceOfSatisfying(WebhookRejection.class, refused -> {
                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.problem()).isEqualTo("webhook-body-too-large");
            });
        }
        assertThat(told).isEmpty();
        assertThat(count("pn", "unknown", "rejected_body")).isEqualTo(2);
        // Exactly 1 MiB is taken.
        String padded = JOINED + " ".repeat(WebhookIntake.MAX_BODY_BYTES - JOINED.length());
        assertThat(plugNmeet(padded)).isInstanceOf(Accepted.class);
    }

    @Test
    void unknownAndDisabledInstancesGetTheSameRefusal() {
        SignedWebhook webhook = WebhookSigner.plugNmeet(PN_KEY, PN_SECRET, JOINED, NOW);
        WebhookOutcome unknown = intake.receive("nobody", request(webhook));
        WebhookOutcome disabled = intake.receive("off", request(webhook));
        assertThat(unknown).isEqualTo(disabled).isInstanceOfSatisfying(WebhookRejection.class, refused -> {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.problem()).isEqualTo("webhook-not-accepted");
        });
        assertThat(intake.accepts("pn")).isTrue();
        assertThat(intake.accepts("off")).isFalse();
        // An instance out of the answers takes no webhooks either, whatever its webhook.enabled says.
        assertThat(intake.accepts("idle")).isFalse();
        assertThat(told).isEmpty();
        // A name from the path is a tag only when it is configured.
        assertThat(count("unknown", "unknown", "rejected_signature")).isEqualTo(1);
        assertThat(count("off", "unknown", "rejected_signature")).isEqualTo(1);
        assertThat(meters.find("roomgate.webhooks").tag("provider", "nobody").counters()).isEmpty();
    }

    @Test
    void unreadableBodiesAreCountedAsSuch() {
        assertThat(plugNmeet("{\"event\":\"room_started\"}")).isInstanceOfSatisfying(WebhookRejection.class,
                refused -> assertThat(refused.status()).isEqualTo(400));
        assertThat(count("pn", "unknown", "rejected_body")).isEqualTo(1);
    }

    @Test
    void anEventTypeNobodyDocumentedIsCountedAsOther() {
        plugNmeet("{\"event\":\"brand_new_event\",\"room\":{\"room_id\":\"r\"},\"id\":\"EV_n\"}");
        assertThat(count("pn", "other", "accepted")).isEqualTo(1);
        assertThat(told).extracting(WebhookEvent::type).containsExactly("brand_new_event");
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromHearing() {
        List<WebhookEvent> second = new ArrayList<>();
        WebhookIntake withFailing = intake(configured(), event -> {
            throw new IllegalStateException("listener bug");
        }, second::add);
        assertThat(withFailing.receive("pn", request(WebhookSigner.plugNmeet(PN_KEY, PN_SECRET, JOINED, NOW))))
            .isInstanceOf(Accepted.class);
        assertThat(second).hasSize(1);
    }

    @Test
    void aPublicKeyThatIsNoKeyStopsStartUpNamingTheKey() {
        Map<String, String> keys = configured();
        keys.put("roomgate.providers.vs.webhook.public-key", "-----BEGIN PUBLIC KEY-----\nnot-a-key\n"
                + "-----END PUBLIC KEY-----");
        assertThatThrownBy(() -> intake(keys)).isInstanceOfSatisfying(InvalidConfigurationException.class, ex -> {
            assertThat(ex.key()).isEqualTo("roomgate.providers.vs.webhook.public-key");
            assertThat(ex.getMessage()).doesNotContain("not-a-key");
        });
    }

    @Test
    void noRefusalQuotesASecret() {
        List<WebhookOutcome> refusals = List.of(
                intake.receive("pn", request(WebhookSigner.plugNmeet(PN_KEY, PN_SECRET, JOINED, NOW)
                    .withBody("{}".getBytes(StandardCharsets.UTF_8)))),
                intake.receive("tc", request(WebhookSigner.tencent(TencentWebhookVerifierTests.APP, "wrong",
                        "Live.CallbackAfterDestroyRoom", TencentWebhookVerifierTests.DESTROYED, NOW))),
                intake.receive("vs", request(WebhookSigner.videoSdk(WebhookSigner.videoSdkKeyPair().getPrivate(),
                        "{}"))),
                intake.receive("nobody", request(WebhookSigner.plugNmeet(PN_KEY, PN_SECRET, JOINED, NOW))));
        for (WebhookOutcome refusal : refusals) {
            assertThat(refusal).isInstanceOf(WebhookRejection.class);
            assertThat(refusal.toString()).doesNotContain(PN_SECRET, TencentWebhookVerifierTests.TOKEN,
                    "tencent-secret-key-value", "videosdk-secret");
        }
    }

    private static String event(int n) {
        return JOINED.replace("EV_xyz", "EV_" + n);
    }
}
