package dev.roomgate.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class VideoSdkEmulatorTests {

    private static final String KEY = DemoRooms.VIDEOSDK_API_KEY;

    private static final String SECRET = DemoRooms.VIDEOSDK_SECRET;

    /** providers.md 3.1: issued 2023-11-14, expired a day later. */
    private static final String PROVIDERS_MD_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJhcGlrZXkiOiJ0ZXN0LWFwaS1rZXkiLCJwZXJtaXNzaW9ucyI6WyJhbGxvd19qb2luIiwiYWxsb3dfbW9kIl0s"
            + "InZlcnNpb24iOjIsInJvbGVzIjpbImNyYXdsZXIiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwODY0MDB9"
            + ".O0aYitbOEXxtRFLoLfp5R549MTLzA8qhUO_P4-P-eQI";

    private static final String SESSION_ID = "64bb3619669942e088479aa0";

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private final VideoSdkEmulator emulator = new VideoSdkEmulator(KEY, SECRET);

    private final String token = TestCredentials.videoSdkToken(KEY, SECRET, TestCredentials.nowSeconds(),
            TestCredentials.nowSeconds() + 3600);

    @BeforeEach
    void start() {
        emulator.start();
        List<VideoSdkParticipant> participants = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            List<Instant> starts = i == 0 ? List.of(START.plusSeconds(1), START.plusSeconds(61))
                    : List.of(START.plusSeconds(i));
            participants.add(new VideoSdkParticipant("p" + i, "Person " + i, String.format("%024x", i + 1),
                    i % 2 == 0 ? "CONFERENCE" : "VIEWER", starts, "Surat", "India"));
        }
        emulator.addSession(new VideoSdkSession(SESSION_ID, "r10p-2qz8-si67", START, "in002", participants));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void testTokenBuilderReproducesTheProvidersMdVector() {
        assertThat(TestCredentials.videoSdkToken(KEY, SECRET, 1700000000L, 1700086400L)).isEqualTo(PROVIDERS_MD_TOKEN);
    }

    @Test
    void acceptsAFreshToken() {
        TestHttp.Response response = sessions("?roomId=r10p-2qz8-si67&status=ongoing", token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(emulator.calls(VideoSdkEmulator.SESSIONS)).isEqualTo(1);
    }

    @Test
    void rejectsTheProvidersMdVectorBecauseItExpired() {
        assertUnauthorized(sessions("?roomId=r10p-2qz8-si67", PROVIDERS_MD_TOKEN), 401, "Token expired");
    }

    @Test
    void rejectsABearerPrefixAndMissingTokens() {
        assertUnauthorized(sessions("", "Bearer " + token), 401, "Bearer");
        assertUnauthorized(TestHttp.get(emulator.baseUrl() + "/v2/sessions"), 401, "required");
    }

    @Test
    void rejectsTokensThatAreNotThisProjectsV2CrawlerTokens() {
        long now = TestCredentials.nowSeconds();
        String otherSecret = TestCredentials.videoSdkToken(KEY, "other-secret", now, now + 3600);
        String otherKey = TestCredentials.videoSdkToken("other-key", SECRET, now, now + 3600);
        String unsigned = TestCredentials.jwt("{\"alg\":\"none\"}", "{\"apikey\":\"" + KEY
                + "\",\"version\":2,\"roles\":[\"crawler\"],\"exp\":" + (now + 3600) + "}", SECRET);
        String version1 = TestCredentials.hs256(SECRET,
                "{\"apikey\":\"" + KEY + "\",\"version\":1,\"roles\":[\"crawler\"],\"exp\":" + (now + 3600) + "}");
        String rtcOnly = TestCredentials.hs256(SECRET,
                "{\"apikey\":\"" + KEY + "\",\"version\":2,\"roles\":[\"rtc\"],\"exp\":" + (now + 3600) + "}");

        assertUnauthorized(sessions("", otherSecret), 401, "signature");
        assertUnauthorized(sessions("", otherKey), 401, "apikey");
        assertUnauthorized(sessions("", unsigned), 401, "HS256");
        assertUnauthorized(sessions("", version1), 401, "version");
        assertUnauthorized(sessions("", rtcOnly), 403, "crawler");
        assertUnauthorized(sessions("", token.substring(0, token.length() - 2)), 401, "signature");
    }

    @Test
    void listsOnlyTheOngoingSessionOfTheRoom() {
        String endedId = VideoSdkSession.newSessionId();
        emulator.addSession(new VideoSdkSession(endedId, "other-room", START, "eu001", List.of()));
        emulator.endSession("other-room");

        JsonNode ongoing = sessions("?roomId=r10p-2qz8-si67&status=ongoing", token).json();
        JsonNode ended = sessions("?roomId=other-room&status=ongoing", token).json();
        JsonNode session = ongoing.path("data").get(0);

        assertThat(ongoing.path("pageInfo").path("total").intValue()).isEqualTo(1);
        assertThat(session.path("id").stringValue()).isEqualTo(SESSION_ID);
        assertThat(session.path("start").stringValue()).isEqualTo("2026-11-23T10:00:00.000Z");
        assertThat(session.path("end").isNull()).isTrue();
        assertThat(session.path("status").stringValue()).isEqualTo("ongoing");
        assertThat(session.path("participants")).hasSize(27);
        assertThat(session.path("links").path("get_session").stringValue()).endsWith("/v2/sessions/" + SESSION_ID);
        assertThat(ended.path("data")).isEmpty();
        assertThat(ended.path("pageInfo").path("total").intValue()).isZero();
        assertThat(sessions("?roomId=other-room&status=ended", token).json().path("data")).hasSize(1);
    }

    @Test
    void answersActiveParticipantsInTheSeedShape() {
        JsonNode reply = active(SESSION_ID, "?page=1&perPage=5").json();
        JsonNode session = reply.path("data").get(0);
        JsonNode first = session.path("participants").get(0);

        assertThat(reply.path("data").isArray()).isTrue();
        assertThat(reply.path("data")).hasSize(1);
        assertThat(fieldNames(session)).containsExactly("_id", "apiKey", "start", "end", "participants", "region",
                "hlsLog", "roomId", "status", "links");
        assertThat(session.path("apiKey").stringValue()).isEqualTo(KEY);
        assertThat(session.path("region").stringValue()).isEqualTo("in002");
        assertThat(fieldNames(first)).containsExactly("participantId", "name", "events", "timelog", "initTime",
                "deviceInfo", "changeModeHistory", "mode", "_id", "geoLocation");
        assertThat(first.path("timelog")).hasSize(2);
        assertThat(first.path("timelog").get(0).path("end").isString()).isTrue();
        assertThat(first.path("timelog").get(1).path("start").stringValue()).isEqualTo("2026-11-23T10:01:01.000Z");
        assertThat(first.path("timelog").get(1).path("end").isNull()).isTrue();
        assertThat(first.path("_id").stringValue()).isEqualTo(String.format("%024x", 1));
        assertThat(first.path("geoLocation").path("city").stringValue()).isEqualTo("Surat");
    }

    @Test
    void capsPerPageWhateverTheClientAsks() {
        List<String> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode reply = active(SESSION_ID, "?page=" + page + "&perPage=50").json();
            assertThat(reply.path("pageInfo").path("currentPage").intValue()).isEqualTo(page);
            assertThat(reply.path("pageInfo").path("perPage").intValue()).isEqualTo(10);
            assertThat(reply.path("pageInfo").path("lastPage").intValue()).isEqualTo(3);
            assertThat(reply.path("pageInfo").path("total").intValue()).isEqualTo(27);
            JsonNode participants = reply.path("data").get(0).path("participants");
            participants.forEach(participant -> seen.add(participant.path("participantId").stringValue()));
        }

        assertThat(seen).hasSize(27);
        assertThat(new HashSet<>(seen)).hasSize(27);
        assertThat(emulator.calls(VideoSdkEmulator.ACTIVE_PARTICIPANTS)).isEqualTo(3);
    }

    @Test
    void maxPerPageIsConfigurable() {
        emulator.maxPerPage(25);

        JsonNode pageInfo = active(SESSION_ID, "").json().path("pageInfo");

        assertThat(pageInfo.path("perPage").intValue()).isEqualTo(20);
        assertThat(pageInfo.path("lastPage").intValue()).isEqualTo(2);
    }

    @Test
    void unknownSessionIs404() {
        TestHttp.Response response = active("000000000000000000000000", "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body())
            .isEqualTo("{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"session not found\"}");
    }

    @Test
    void anEndedSessionHasNoActiveParticipants() {
        emulator.endSession("r10p-2qz8-si67");

        JsonNode reply = active(SESSION_ID, "").json();

        assertThat(reply.path("pageInfo").path("total").intValue()).isZero();
        assertThat(reply.path("data").get(0).path("participants")).isEmpty();
        assertThat(reply.path("data").get(0).path("status").stringValue()).isEqualTo("ended");
    }

    @Test
    void rejectsBadPagingParameters() {
        assertThat(active(SESSION_ID, "?page=0").status()).isEqualTo(400);
        assertThat(active(SESSION_ID, "?perPage=x").status()).isEqualTo(400);
    }

    @Test
    void theActiveHlsCallIs404UntilTheRoomStreamsAndThenNamesTheOpenStream() {
        String url = emulator.baseUrl() + "/v2/hls/r10p-2qz8-si67/active";
        TestHttp.Response none = TestHttp.get(url, Map.of("Authorization", token));
        emulator.startHls("r10p-2qz8-si67");
        TestHttp.Response live = TestHttp.get(url, Map.of("Authorization", token));
        TestHttp.Response unsigned = TestHttp.get(url);

        assertThat(none.status()).isEqualTo(404);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("data").path("sessionId").asString()).isEqualTo(SESSION_ID);
        assertThat(live.json().path("data").path("roomId").asString()).isEqualTo("r10p-2qz8-si67");
        assertThat(live.json().path("data").has("end")).isTrue();
        assertThat(live.json().path("data").path("end").isNull()).isTrue();
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(emulator.calls(VideoSdkEmulator.ACTIVE_HLS)).isEqualTo(3);
    }

    private TestHttp.Response sessions(String query, String authorization) {
        return TestHttp.get(emulator.baseUrl() + "/v2/sessions" + query, Map.of("Authorization", authorization));
    }

    private TestHttp.Response active(String sessionId, String query) {
        return TestHttp.get(emulator.baseUrl() + "/v2/sessions/" + sessionId + "/participants/active" + query,
                Map.of("Authorization", token));
    }

    private static void assertUnauthorized(TestHttp.Response response, int status, String messagePart) {
        JsonNode body = response.json();
        assertThat(response.status()).isEqualTo(status);
        assertThat(body.path("statusCode").intValue()).isEqualTo(status);
        assertThat(body.path("error").stringValue()).isEqualTo(status == 403 ? "Forbidden" : "Unauthorized");
        assertThat(body.path("message").stringValue()).contains(messagePart);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
