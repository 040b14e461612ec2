package dev.roomgate.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetParticipant;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.emulator.WebhookSigner;

/**
 * Life in the demo's stand-up on plugNmeet: a visitor joins, and some seconds later leaves, again and again, so
 * that {@code curl -N .../v1/rooms/demo-standup/events} on a fresh clone shows a live stream, not a still one. Each
 * change is also told to Roomgate as plugNmeet's notifier tells it: a signed webhook, which wakes the room's loop.
 */
final class DemoActivity {

    static final Duration EVERY = Duration.ofSeconds(5);

    private static final String VISITOR = "visitor";

    private final PlugNmeetEmulator plugNmeet;

    private final URI webhooks;

    private final HttpClient http = HttpClient.newHttpClient();

    /** @param webhooks where Roomgate takes this plugNmeet's webhooks, or null to send none */
    DemoActivity(PlugNmeetEmulator plugNmeet, URI webhooks) {
        this.plugNmeet = plugNmeet;
        this.webhooks = webhooks;
    }

    /** Starts on a daemon thread of its own, which ends with the demo. */
    static void start(PlugNmeetEmulator plugNmeet, URI webhooks) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "demo-activity");
            thread.setDaemon(true);
            return thread;
        });
        DemoActivity activity = new DemoActivity(plugNmeet, webhooks);
        timer.scheduleAtFixedRate(activity::step, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The visitor comes in if out, goes out if in. */
    void step() {
        plugNmeet.room(DemoRooms.DEMO_STANDUP).ifPresent(room -> {
            List<PlugNmeetParticipant> people = new ArrayList<>(room.participants());
            boolean present = people.removeIf(person -> person.identity().equals(VISITOR));
            if (!present) {
                people.add(new PlugNmeetParticipant("PA_visitor" + Instant.now().getEpochSecond(), VISITOR, "Visitor",
                        "ACTIVE", Instant.now().toEpochMilli(), PlugNmeetParticipant.userMetadata(false)));
            }
            plugNmeet.addRoom(new PlugNmeetRoom(room.roomId(), room.title(), room.sid(), room.running(),
                    room.recording(), room.rtmp(), room.creationTimeSeconds(), room.metadataJson(), people));
            notify(present ? "participant_left" : "participant_joined", room);
        });
    }

    /** Fire and forget, as plugNmeet's notifier is: Roomgate re-reads the room whatever it is told. */
    private void notify(String event, PlugNmeetRoom room) {
        if (webhooks == null) {
            return;
        }
        Instant now = Instant.now();
        String body = "{\"event\":\"" + event + "\",\"room\":{\"sid\":\"" + room.sid() + "\",\"room_id\":\""
                + room.roomId() + "\"},\"participant\":{\"identity\":\"" + VISITOR + "\"},\"id\":\"EV_demo_"
                + now.toEpochMilli() + "\",\"created_at\":\"" + now.getEpochSecond() + "\"}";
        WebhookSigner.SignedWebhook signed = WebhookSigner.plugNmeet(DemoRooms.PLUGNMEET_API_KEY,
                DemoRooms.PLUGNMEET_API_SECRET, body, now);
        HttpRequest.Builder request = HttpRequest.newBuilder(webhooks)
            .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
        signed.headers().forEach(request::header);
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
    }
}
