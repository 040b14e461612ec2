package dev.roomgate.demo;

import org.junit.jupiter.api.Test;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetParticipant;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's stand-up gains a visitor, then loses it, step by step. */
class DemoActivityTests {

    @Test
    void aVisitorComesInThenGoesOut() {
        PlugNmeetEmulator plugNmeet = new PlugNmeetEmulator(DemoRooms.PLUGNMEET_API_KEY,
                DemoRooms.PLUGNMEET_API_SECRET);
        DemoRooms.installPlugNmeet(plugNmeet);
        int before = plugNmeet.room(DemoRooms.DEMO_STANDUP).orElseThrow().participants().size();
        DemoActivity activity = new DemoActivity(plugNmeet, null);

        activity.step();
        assertThat(plugNmeet.room(DemoRooms.DEMO_STANDUP).orElseThrow().participants())
            .hasSize(before + 1).extracting(PlugNmeetParticipant::identity).contains("visitor");
        activity.step();
        assertThat(plugNmeet.room(DemoRooms.DEMO_STANDUP).orElseThrow().participants()).hasSize(before);
    }
}
