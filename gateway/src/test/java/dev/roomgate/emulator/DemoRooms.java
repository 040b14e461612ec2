package dev.roomgate.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Demo credentials (the providers' public sample values) and a few rooms that make an aggregated answer worth
 * looking at: one room live everywhere with several pages of participants, one on two providers, one Tencent-only
 * room whose owner id only survives digit-exact parsing.
 */
public final class DemoRooms {

    public static final String PLUGNMEET_API_KEY = "plugnmeet";

    public static final String PLUGNMEET_API_SECRET = "zumyyYWqv7KR2kUqvYdq4z4sXg7XTBD2ljT6";

    public static final long TENCENT_SDK_APP_ID = 1400000000L;

    public static final String TENCENT_IDENTIFIER = "administrator";

    public static final String TENCENT_SECRET_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    public static final String VIDEOSDK_API_KEY = "test-api-key";

    public static final String VIDEOSDK_SECRET = "test-secret";

    /** Live on all three: 5 plugNmeet participants (one admin), 23 Tencent members, 27 VideoSDK participants. */
    public static final String DEMO_STANDUP = "demo-standup";

    /** Live on plugNmeet (recording and RTMP on) and VideoSDK. */
    public static final String TOWN_HALL = "town-hall";

    /** Live on Tencent only, with {@link #TENCENT_ONLY_OWNER} and TakeSeatMode sent as an integer. */
    public static final String TENCENT_ONLY = "tencent-only";

    /** Above 2^53: a parser that goes through double changes its last digits. */
    public static final String TENCENT_ONLY_OWNER = "144115233775727695";

    public static final String DEMO_STANDUP_VIDEOSDK_SESSION = "6650f1c2a9e4b3d2c1a0f001";

    public static final String TOWN_HALL_VIDEOSDK_SESSION = "6650f1c2a9e4b3d2c1a0f002";

    private static final List<String> NAMES = List.of("Alice", "Bongani", "Chen", "Dana", "Emeka", "Farah", "Goran",
            "Hana", "Ines", "Jonas", "Kavya", "Liam", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven",
            "Tomoko", "Uma", "Viktor", "Wanjiru", "Xavier", "Yusuf", "Zofia", "Aarav");

    private static final List<String[]> PLACES = List.of(new String[] { "Surat", "India" },
            new String[] { "Berlin", "Germany" }, new String[] { "Lagos", "Nigeria" },
            new String[] { "Singapore", "Singapore" }, new String[] { "Austin", "United States" });

    private DemoRooms() {
    }

    public static void install(PlugNmeetEmulator plugNmeet, TencentEmulator tencent, VideoSdkEmulator videoSdk) {
        Instant now = Instant.now();
        installPlugNmeet(plugNmeet, now);
        Instant standupStart = now.minus(Duration.ofMinutes(12));
        Instant townHallStart = now.minus(Duration.ofMinutes(47));

        tencent.addRoom(new TencentRoom(DEMO_STANDUP, "Daily stand-up", "alice", standupStart.getEpochSecond(), 300,
                false, accounts("member", 23)));
        tencent.addRoom(new TencentRoom(TENCENT_ONLY, "Tencent live corner", TENCENT_ONLY_OWNER,
                now.minus(Duration.ofHours(2)).getEpochSecond(), 500, true,
                List.of(TENCENT_ONLY_OWNER, "144115233775727696", "viewer-ana", "viewer-bo")));

        videoSdk.addSession(new VideoSdkSession(DEMO_STANDUP_VIDEOSDK_SESSION, DEMO_STANDUP, standupStart, "in002",
                videoSdkParticipants("su", DEMO_STANDUP_VIDEOSDK_SESSION, 0, 27, standupStart)));
        videoSdk.addSession(new VideoSdkSession(TOWN_HALL_VIDEOSDK_SESSION, TOWN_HALL, townHallStart, "eu001",
                videoSdkParticipants("th", TOWN_HALL_VIDEOSDK_SESSION, 5, 6, townHallStart)));
        videoSdk.startHls(TOWN_HALL);
    }

    /** The plugNmeet demo rooms again, as {@link #install} puts them: for tests that changed them. */
    public static void installPlugNmeet(PlugNmeetEmulator plugNmeet) {
        installPlugNmeet(plugNmeet, Instant.now());
    }

    private static void installPlugNmeet(PlugNmeetEmulator plugNmeet, Instant now) {
        Instant standupStart = now.minus(Duration.ofMinutes(12));
        Instant townHallStart = now.minus(Duration.ofMinutes(47));
        plugNmeet.addRoom(new PlugNmeetRoom(DEMO_STANDUP, "Daily stand-up", "RM_dEm0StandUp01", true, false, false,
                standupStart.getEpochSecond(),
                PlugNmeetRoom.roomMetadata("Daily stand-up", false, false, standupStart.getEpochSecond()),
                List.of(plugNmeetUser("alice", "Alice", "ACTIVE", standupStart.plusSeconds(5), true)
                    .publishing(PlugNmeetTrack.camera(false), PlugNmeetTrack.microphone(false)),
                        plugNmeetUser("bongani", "Bongani", "ACTIVE", standupStart.plusSeconds(40), false)
                            .publishing(PlugNmeetTrack.microphone(true)),
                        plugNmeetUser("chen", "Chen", "ACTIVE", standupStart.plusSeconds(95), false),
                        plugNmeetUser("dana", "Dana", "JOINED", now.minusSeconds(20), false),
                        plugNmeetUser("emeka", "Emeka", "ACTIVE", standupStart.plusSeconds(180), false))));
        plugNmeet.addRoom(new PlugNmeetRoom(TOWN_HALL, "Quarterly town hall", "RM_t0wnHaLL0002", true, true, true,
                townHallStart.getEpochSecond(),
                PlugNmeetRoom.roomMetadata("Quarterly town hall", true, true, townHallStart.getEpochSecond()),
                List.of(plugNmeetUser("farah", "Farah", "ACTIVE", townHallStart.plusSeconds(3), true),
                        plugNmeetUser("goran", "Goran", "ACTIVE", townHallStart.plusSeconds(60), false),
                        plugNmeetUser("hana", "Hana", "ACTIVE", townHallStart.plusSeconds(75), false))));

    }

    private static PlugNmeetParticipant plugNmeetUser(String identity, String name, String state, Instant joinedAt,
            boolean admin) {
        return new PlugNmeetParticipant("PA_" + identity + "0001", identity, name, state, joinedAt.toEpochMilli(),
                PlugNmeetParticipant.userMetadata(admin));
    }

    private static List<String> accounts(String prefix, int count) {
        List<String> accounts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            accounts.add(String.format("%s-%02d", prefix, i));
        }
        return accounts;
    }

    /** Every fifth participant rejoined once (two timelog entries); every fourth only watches. */
    private static List<VideoSdkParticipant> videoSdkParticipants(String idPrefix, String sessionId, int firstName,
            int count, Instant sessionStart) {
        List<VideoSdkParticipant> participants = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant firstJoin = sessionStart.plusSeconds(7L * i + 2);
            List<Instant> starts = i % 5 == 4 ? List.of(firstJoin, firstJoin.plusSeconds(150)) : List.of(firstJoin);
            String[] place = PLACES.get(i % PLACES.size());
            String participantId = String.format("%s%02dq7xk", idPrefix, i + 1);
            String name = NAMES.get((firstName + i) % NAMES.size());
            String recordId = sessionId.substring(8) + String.format("%08x", i + 1);
            // Both generations of VideoSDK's mode names (providers.md 9.2): viewers every fourth, in either name.
            String mode = switch (i % 4) {
                case 3 -> i % 8 == 3 ? "VIEWER" : "SIGNALLING_ONLY";
                case 1 -> "SEND_AND_RECV";
                default -> "CONFERENCE";
            };
            boolean sends = i % 4 != 3;
            participants.add(new VideoSdkParticipant(participantId, name, recordId, mode, starts, place[0], place[1],
                    sends, sends && i % 2 == 0));
        }
        return participants;
    }
}
