package dev.roomgate.demo;

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

/**
 * Life in the demo's stand-up on plugNmeet: a visitor joins, and some seconds later leaves, again and again, so
 * that {@code curl -N .../v1/rooms/demo-standup/events} on a fresh clone shows a live stream, not a still one.
 */
final class DemoActivity {

    static final Duration EVERY = Duration.ofSeconds(5);

    private static final String VISITOR = "visitor";

    private final PlugNmeetEmulator plugNmeet;

    DemoActivity(PlugNmeetEmulator plugNmeet) {
        this.plugNmeet = plugNmeet;
    }

    /** Starts on a daemon thread of its own, which ends with the demo. */
    static void start(PlugNmeetEmulator plugNmeet) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "demo-activity");
            thread.setDaemon(true);
            return thread;
        });
        DemoActivity activity = new DemoActivity(plugNmeet);
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
        });
    }
}
