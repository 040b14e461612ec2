package dev.roomgate.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.WebhookSigner;
import dev.roomgate.support.Await;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /webhooks/{instance}} over real HTTP, signed as plugNmeet's notifier signs (contract 2.4): verified
 * before anything else, a hint that wakes the room's watch loop, and nothing at all when forged.
 */
class WebhookEndToEndTests extends CacheOffIntegrationTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    private MeterRegistry meters;

    private static String event(String id) {
        return "{\"event\":\"participant_joined\",\"room\":{\"sid\":\"RM_dEm0StandUp01\",\"room_id\":\""
                + DemoRooms.DEMO_STANDUP + "\"},\"participant\":{\"identity\":\"zoe\"},\"id\":\"" + id
                + "\",\"created_at\":\"" + Instant.now().getEpochSecond() + "\"}";
    }

    private WebTestClient.ResponseSpec post(WebhookSigner.SignedWebhook webhook) {
        return anonymous().post().uri("/webhooks/" + ProviderEmulators.PLUGNMEET)
            .headers(headers -> webhook.headers().forEach(headers::set))
            .bodyValue(webhook.body())
            .exchange();
    }

    private double count(String meter, String... tags) {
        var search = meters.find(meter);
        for (int i = 0; i < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void aSignedWebhookWakesTheRoomsLoopAndARepeatIsTakenButNotTold() {
        List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
        Disposable watching = WebClient.create("http://localhost:" + port).get()
            .uri("/v1/rooms/" + DemoRooms.DEMO_STANDUP + "/events?providers=" + ProviderEmulators.PLUGNMEET)
            .header("X-API-Key", ProviderEmulators.API_KEY)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve().bodyToFlux(EVENTS).subscribe(events::add);
        try {
            Await.until("the snapshot", () -> !events.isEmpty(), Await.GENEROUSLY);
            double wakes = count("roomgate.watch.reads", "trigger", "wake");
            double accepted = count("roomgate.webhooks", "outcome", "accepted");
            double duplicates = count("roomgate.webhooks", "outcome", "duplicate");
            WebhookSigner.SignedWebhook webhook = WebhookSigner.plugNmeet(DemoRooms.PLUGNMEET_API_KEY,
                    DemoRooms.PLUGNMEET_API_SECRET, event("EV_one"), Instant.now());

            post(webhook).expectStatus().isNoContent();
            Await.until("the loop reads the room at once", () -> count("roomgate.watch.reads", "trigger",
                    "wake") > wakes, Await.GENEROUSLY);
            // plugNmeet retries a delivery it thinks failed: the same id is taken, and changes nothing more.
            post(webhook).expectStatus().isNoContent();
            assertThat(count("roomgate.webhooks", "outcome", "accepted") - accepted).isEqualTo(1);
            assertThat(count("roomgate.webhooks", "outcome", "duplicate") - duplicates).isEqualTo(1);
        }
        finally {
            watching.dispose();
        }
    }

    @Test
    void aForgedOrTamperedWebhookIsRefusedAndChangesNothing() {
        double wakes = count("roomgate.watch.reads", "trigger", "wake");
        double accepted = count("roomgate.webhooks", "outcome", "accepted");
        WebhookSigner.SignedWebhook forged = WebhookSigner.plugNmeet(DemoRooms.PLUGNMEET_API_KEY, "not-the-secret",
                event("EV_forged"), Instant.now());
        post(forged).expectStatus().isUnauthorized()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString())
                .doesNotContain(DemoRooms.PLUGNMEET_API_SECRET));
        WebhookSigner.SignedWebhook signed = WebhookSigner.plugNmeet(DemoRooms.PLUGNMEET_API_KEY,
                DemoRooms.PLUGNMEET_API_SECRET, event("EV_tampered"), Instant.now());
        post(signed.withBody(event("EV_other").getBytes())).expectStatus().isUnauthorized();
        // An instance that takes no webhooks, and one that does not exist, answer alike.
        anonymous().post().uri("/webhooks/" + ProviderEmulators.VIDEOSDK).bodyValue("{}").exchange()
            .expectStatus().isUnauthorized();
        anonymous().post().uri("/webhooks/nobody").bodyValue("{}").exchange().expectStatus().isUnauthorized();
        // Over 1 MiB: refused without being kept.
        byte[] huge = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        post(signed.withBody(huge)).expectStatus().isBadRequest();
        anonymous().get().uri("/webhooks/" + ProviderEmulators.PLUGNMEET).exchange().expectStatus().isNotFound();
        assertThat(count("roomgate.webhooks", "outcome", "accepted")).isEqualTo(accepted);
        assertThat(count("roomgate.watch.reads", "trigger", "wake")).isEqualTo(wakes);
    }
}
