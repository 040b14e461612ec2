package dev.roomgate.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class PlugNmeetEmulatorTests {

    private static final String KEY = DemoRooms.PLUGNMEET_API_KEY;

    private static final String SECRET = DemoRooms.PLUGNMEET_API_SECRET;

    /** providers.md 1.2: the signature of {@code {"room_id":"room01"}} with the demo secret. */
    private static final String ROOM01_BODY = "{\"room_id\":\"room01\"}";

    private static final String ROOM01_SIGNATURE = "4b60a468df680c0739f6c7255626b31c8934efc1293b9e40667575b964bf24b5";

    private static final String EMPTY_BODY_SIGNATURE =
            "d2a7003d22b6b6f94519230776f45e19d2086b20d1711a8eae6b0ee24d51cfeb";

    private final PlugNmeetEmulator emulator = new PlugNmeetEmulator(KEY, SECRET);

    @BeforeEach
    void start() {
        emulator.start();
        emulator.addRoom(new PlugNmeetRoom("room01", "Demo, with a comma", "RM_abc123", true, false, true, 1700000000L,
                PlugNmeetRoom.roomMetadata("Demo, with a comma", false, true, 1700000000L),
                List.of(new PlugNmeetParticipant("PA_1", "user01", "User 1", "ACTIVE", 1700000005123L,
                        PlugNmeetParticipant.userMetadata(true)),
                        new PlugNmeetParticipant("PA_2", "user02", "User 2", "JOINED", 1700000009000L,
                                PlugNmeetParticipant.userMetadata(false)))));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void acceptsTheProvidersMdTestVector() {
        TestHttp.Response response = post("getActiveRoomInfo", KEY, ROOM01_SIGNATURE, ROOM01_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.json().path("status").booleanValue()).isTrue();
        assertThat(response.json().path("status_code").stringValue()).isEqualTo("SUCCESS");
        assertThat(emulator.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(1);
    }

    @Test
    void rejectsTheVectorSignatureInUpperCase() {
        TestHttp.Response response = post("getActiveRoomInfo", KEY, ROOM01_SIGNATURE.toUpperCase(), ROOM01_BODY);

        assertRejected(response, "Failed to verify provided authentication details.", "INVALID_TOKEN_OR_SIGNATURE");
    }

    @Test
    void rejectsATamperedBody() {
        TestHttp.Response response = post("getActiveRoomInfo", KEY, ROOM01_SIGNATURE, "{\"room_id\": \"room01\"}");

        assertRejected(response, "Failed to verify provided authentication details.", "INVALID_TOKEN_OR_SIGNATURE");
    }

    @Test
    void checksTheKeyBeforeTheSignature() {
        assertRejected(post("getActiveRoomInfo", null, ROOM01_SIGNATURE, ROOM01_BODY), "Missing API-KEY header.",
                "MISSING_REQUIRED_PARAMETER");
        assertRejected(post("getActiveRoomInfo", "other", ROOM01_SIGNATURE, ROOM01_BODY), "Invalid API key provided.",
                "INVALID_API_KEY");
        assertRejected(post("getActiveRoomInfo", KEY, null, ROOM01_BODY), "Missing HASH-SIGNATURE header.",
                "MISSING_REQUIRED_PARAMETER");
    }

    @Test
    void answersARoomInProtojsonForm() {
        JsonNode reply = signedPost("getActiveRoomInfo", ROOM01_BODY).json();
        JsonNode info = reply.path("room").path("room_info");
        JsonNode participants = reply.path("room").path("participants_info");

        assertThat(fieldNames(reply)).containsExactly("status", "msg", "status_code", "room");
        assertThat(fieldNames(info)).containsExactly("room_title", "room_id", "sid", "joined_participants",
                "is_running", "is_recording", "is_active_rtmp", "webhook_url", "is_breakout_room", "parent_room_id",
                "creation_time", "metadata");
        assertThat(info.path("joined_participants").isString()).isTrue();
        assertThat(info.path("joined_participants").stringValue()).isEqualTo("2");
        assertThat(info.path("creation_time").stringValue()).isEqualTo("1700000000");
        assertThat(info.path("is_running").isInt()).isTrue();
        assertThat(info.path("is_running").intValue()).isEqualTo(1);
        assertThat(info.path("is_recording").intValue()).isZero();
        assertThat(info.path("is_active_rtmp").intValue()).isEqualTo(1);
        assertThat(TestHttp.parse(info.path("metadata").stringValue()).path("room_title").stringValue())
            .isEqualTo("Demo, with a comma");
        assertThat(fieldNames(participants.get(0))).containsExactly("sid", "identity", "state", "tracks", "metadata",
                "joined_at", "joined_at_ms", "name", "version", "permission", "region", "is_publisher", "kind",
                "attributes", "disconnect_reason", "kind_details", "data_tracks", "client_protocol", "capabilities");
        assertThat(fieldNames(participants.get(0).path("permission"))).containsExactly("can_subscribe",
                "can_publish", "can_publish_data", "can_publish_sources", "hidden", "recorder", "can_update_metadata",
                "agent", "can_subscribe_metrics", "can_manage_agent_session");
    }

    @Test
    void listsParticipantsNotInInsertionOrder() {
        JsonNode reply = signedPost("getActiveRoomInfo", ROOM01_BODY).json();
        JsonNode participants = reply.path("room").path("participants_info");
        JsonNode user01 = participants.get(1);

        assertThat(participants.get(0).path("identity").stringValue()).isEqualTo("user02");
        assertThat(user01.path("identity").stringValue()).isEqualTo("user01");
        assertThat(user01.path("state").stringValue()).isEqualTo("ACTIVE");
        assertThat(user01.path("joined_at").stringValue()).isEqualTo("1700000005");
        assertThat(user01.path("joined_at_ms").stringValue()).isEqualTo("1700000005123");
        assertThat(TestHttp.parse(user01.path("metadata").stringValue()).path("is_admin").booleanValue()).isTrue();
    }

    @Test
    void acceptsTheLowerCamelFieldName() {
        TestHttp.Response response = signedPost("getActiveRoomInfo", "{\"roomId\":\"room01\"}");

        assertThat(response.json().path("room").path("room_info").path("room_id").stringValue()).isEqualTo("room01");
    }

    @Test
    void reportsUnknownAndInactiveRoomsWith200() {
        emulator.addRoom(new PlugNmeetRoom("closing", "Closing", "RM_x", false, false, false, 1L, null, null));

        TestHttp.Response unknown = signedPost("getActiveRoomInfo", "{\"room_id\":\"nope\"}");
        TestHttp.Response inactive = signedPost("getActiveRoomInfo", "{\"room_id\":\"closing\"}");

        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body()).isEqualTo("{\"status\":false,\"msg\":\"room not found in active state\","
                + "\"status_code\":\"ROOM_NOT_FOUND\",\"room\":null}");
        assertThat(inactive.body()).isEqualTo(
                "{\"status\":false,\"msg\":\"room is not active\",\"status_code\":\"ROOM_NOT_ACTIVE\",\"room\":null}");
    }

    @Test
    void requiresARoomId() {
        TestHttp.Response missing = signedPost("getActiveRoomInfo", "{}");
        TestHttp.Response empty = signedPost("getActiveRoomInfo", "{\"room_id\":\"\"}");

        String expected = "{\"status\":false,\"msg\":\"validation error: room_id: value is required\","
                + "\"status_code\":\"INVALID_PARAMETERS\"}";
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.body()).isEqualTo(expected);
        assertThat(empty.body()).isEqualTo(expected);
        assertThat(signedPost("getActiveRoomInfo", "not json").json().path("status_code").stringValue())
            .isEqualTo("INVALID_PARAMETERS");
    }

    @Test
    void listsActiveRoomsWithTheEmptyBodyVector() {
        TestHttp.Response response = post("getActiveRoomsInfo", KEY, EMPTY_BODY_SIGNATURE, "{}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("rooms")).hasSize(1);
        assertThat(response.json().path("rooms").get(0).path("room_info").path("room_id").stringValue())
            .isEqualTo("room01");
        assertThat(emulator.calls(PlugNmeetEmulator.ROOMS_INFO)).isEqualTo(1);
    }

    @Test
    void saysNoActiveRoomWhenThereIsNone() {
        emulator.removeRoom("room01");

        TestHttp.Response response = signedPost("getActiveRoomsInfo", "{}");

        assertThat(response.body()).isEqualTo(
                "{\"status\":false,\"msg\":\"no active room found\",\"status_code\":\"NOT_FOUND\",\"rooms\":[]}");
    }

    @Test
    void extraSpaceAfterCommaStillParsesToTheSameDocument() {
        String compact = signedPost("getActiveRoomInfo", ROOM01_BODY).body();
        emulator.extraSpaceAfterComma(true);
        String spaced = signedPost("getActiveRoomInfo", ROOM01_BODY).body();

        assertThat(spaced).contains("\"status\":true, \"msg\":\"success\", ");
        assertThat(spaced).doesNotContain(",  ");
        assertThat(spaced.length()).isGreaterThan(compact.length());
        assertThat(TestHttp.parse(spaced)).isEqualTo(TestHttp.parse(compact));
    }

    @Test
    void legacyModeOmitsStatusCodeAndJoinedAtMs() {
        emulator.legacyMode(true);

        JsonNode reply = signedPost("getActiveRoomInfo", ROOM01_BODY).json();
        TestHttp.Response unknown = signedPost("getActiveRoomInfo", "{\"room_id\":\"nope\"}");
        TestHttp.Response badSignature = post("getActiveRoomInfo", KEY, "00", ROOM01_BODY);

        assertThat(reply.has("status_code")).isFalse();
        assertThat(reply.path("room").path("participants_info").get(0).has("joined_at_ms")).isFalse();
        assertThat(reply.path("room").path("participants_info").get(0).has("joined_at")).isTrue();
        assertThat(unknown.body()).isEqualTo("{\"status\":false,\"msg\":\"no room found\",\"room\":null}");
        assertThat(badSignature.json().has("status_code")).isFalse();
    }

    @Test
    void tracksAndTheBotsHiddenGrantAreListedAsLiveKitMarshalsThem() {
        emulator.addRoom(new PlugNmeetRoom("rec", "Recorded", "RM_r", true, true, false, 1L, null, List.of(
                new PlugNmeetParticipant("PA_2", "user02", "User 2", "ACTIVE", 1700000005000L,
                        PlugNmeetParticipant.userMetadata(false))
                    .publishing(PlugNmeetTrack.camera(false), PlugNmeetTrack.microphone(true)),
                PlugNmeetParticipant.bot("RECORDER_BOT", 1700000006000L))));

        JsonNode people = signedPost("getActiveRoomInfo", "{\"room_id\":\"rec\"}").json().path("room")
            .path("participants_info");

        JsonNode bot = people.get(0);
        JsonNode user = people.get(1);
        assertThat(bot.path("identity").asString()).isEqualTo("RECORDER_BOT");
        assertThat(bot.path("permission").path("hidden").asBoolean()).isTrue();
        assertThat(bot.path("tracks")).isEmpty();
        assertThat(user.path("permission").path("hidden").asBoolean()).isFalse();
        assertThat(user.path("tracks")).hasSize(2);
        assertThat(user.path("tracks").get(0).path("source").asString()).isEqualTo("CAMERA");
        assertThat(user.path("tracks").get(0).path("type").asString()).isEqualTo("VIDEO");
        assertThat(user.path("tracks").get(0).path("muted").asBoolean()).isFalse();
        assertThat(user.path("tracks").get(1).path("source").asString()).isEqualTo("MICROPHONE");
        assertThat(user.path("tracks").get(1).path("muted").asBoolean()).isTrue();
    }

    @Test
    void aFailedParticipantListingIsASuccessWithAnEmptyListAndTheDatabasesCount() {
        emulator.participantListingFails(true);

        JsonNode reply = signedPost("getActiveRoomInfo", ROOM01_BODY).json();

        assertThat(reply.path("status").asBoolean()).isTrue();
        assertThat(reply.path("room").path("participants_info")).isEmpty();
        assertThat(reply.path("room").path("room_info").path("joined_participants").asString()).isNotEqualTo("0");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() {
        TestHttp.Response unknown = post("getSomethingElse", KEY, ROOM01_SIGNATURE, ROOM01_BODY);
        TestHttp.Response get = TestHttp.get(emulator.baseUrl() + "/auth/room/getActiveRoomInfo");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("not found");
        assertThat(get.status()).isEqualTo(405);
        assertThat(emulator.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(1);
        assertThat(emulator.totalCalls()).isEqualTo(2);
    }

    private TestHttp.Response signedPost(String api, String body) {
        return post(api, KEY, TestCredentials.plugNmeetSignature(SECRET, body), body);
    }

    private TestHttp.Response post(String api, String key, String signature, String body) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (key != null) {
            headers.put("API-KEY", key);
        }
        if (signature != null) {
            headers.put("HASH-SIGNATURE", signature);
        }
        return TestHttp.post(emulator.baseUrl() + "/auth/room/" + api, headers, body);
    }

    private static void assertRejected(TestHttp.Response response, String msg, String statusCode) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body())
            .isEqualTo("{\"status\":false,\"msg\":\"" + msg + "\",\"status_code\":\"" + statusCode + "\"}");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
