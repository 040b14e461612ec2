package dev.roomgate.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.tencentyun.TLSSigAPIv2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class TencentEmulatorTests {

    private static final long APP_ID = DemoRooms.TENCENT_SDK_APP_ID;

    private static final String ADMIN = DemoRooms.TENCENT_IDENTIFIER;

    private static final String KEY = DemoRooms.TENCENT_SECRET_KEY;

    private static final String OWNER = "144115233775727695";

    private final TencentEmulator emulator = new TencentEmulator(APP_ID, ADMIN, KEY);

    private final String adminSig = new TLSSigAPIv2(APP_ID, KEY).genUserSig(ADMIN, 86400);

    private long random = 1;

    @BeforeEach
    void start() {
        emulator.start();
        emulator.addRoom(new TencentRoom("live-1", "Live one", OWNER, 1693271354L, 300, false, members(23)));
        emulator.addRoom(new TencentRoom("live-2", "Live two", "user2", 1693271400L, 50, true, List.of("user2")));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void signatureMatchesTheProvidersMdVector() {
        assertThat(UserSigVerifier.signature(KEY, ADMIN, APP_ID, 1700000000L, 86400))
            .isEqualTo("yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=");
    }

    @Test
    void acceptsAUserSigFromTheOfficialLibrary() {
        JsonNode reply = roomInfo("live-1", adminSig).json();

        assertThat(reply.path("ActionStatus").stringValue()).isEqualTo("OK");
        assertThat(reply.path("ErrorCode").intValue()).isZero();
        assertThat(reply.path("RequestId").stringValue()).startsWith("Id-");
        assertThat(reply.path("Response").path("RoomInfo").path("RoomId").stringValue()).isEqualTo("live-1");
        assertThat(emulator.calls(TencentEmulator.GET_ROOM_INFO)).isEqualTo(1);
    }

    @Test
    void rejectsAnExpiredUserSig() {
        String expired = new TLSSigAPIv2(APP_ID, KEY).genUserSig(ADMIN, -10);

        assertFailure(roomInfo("live-1", expired), 70001);
    }

    @Test
    void rejectsAUserSigOfAnotherIdentifier() {
        String bobSig = new TLSSigAPIv2(APP_ID, KEY).genUserSig("bob", 86400);

        assertFailure(roomInfo("live-1", bobSig), 70013);
        assertFailure(call("get_room_info", APP_ID, "bob", bobSig, "{\"RoomId\":\"live-1\"}"), 60010);
    }

    @Test
    void rejectsAUserSigOfAnotherKeyOrApp() {
        String wrongKey = new TLSSigAPIv2(APP_ID, KEY.replace('5', '6')).genUserSig(ADMIN, 86400);
        String otherApp = new TLSSigAPIv2(1400000001L, KEY).genUserSig(ADMIN, 86400);

        assertFailure(roomInfo("live-1", wrongKey), 70009);
        assertFailure(roomInfo("live-1", otherApp), 70014);
    }

    @Test
    void rejectsEmptyAndUndecodableUserSigs() {
        assertFailure(roomInfo("live-1", ""), 70002);
        assertFailure(roomInfo("live-1", "not-a-usersig"), 70003);
    }

    @Test
    void checksTheCommonUrlParameters() {
        String body = "{\"RoomId\":\"live-1\"}";
        String base = emulator.baseUrl() + "/v4/live_engine_http_srv/get_room_info?identifier=" + ADMIN + "&usersig="
                + adminSig;

        assertFailure(post(base + "&random=1&contenttype=json", body), 60012);
        assertFailure(post(base + "&sdkappid=1400000001&random=1&contenttype=json", body), 60006);
        assertFailure(post(base + "&sdkappid=" + APP_ID + "&random=4294967296&contenttype=json", body), 60002);
        assertFailure(post(base + "&sdkappid=" + APP_ID + "&random=1", body), 60002);
        assertThat(post(base + "&sdkappid=" + APP_ID + "&random=4294967295&contenttype=json", body).json()
            .path("ErrorCode")
            .intValue()).isZero();
    }

    @Test
    void sendsANumericOwnerAsADigitExactBareNumber() {
        TestHttp.Response response = roomInfo("live-1", adminSig);
        JsonNode owner = response.json().path("Response").path("RoomInfo").path("Owner_Account");

        assertThat(response.body()).contains("\"Owner_Account\":144115233775727695,");
        assertThat(owner.isIntegralNumber()).isTrue();
        assertThat(owner.bigIntegerValue().toString()).isEqualTo(OWNER);
        assertThat((long) (double) Long.parseLong(OWNER)).isNotEqualTo(Long.parseLong(OWNER));
    }

    @Test
    void sendsOtherOwnersAndTakeSeatModeAsConfigured() {
        JsonNode live1 = roomInfo("live-1", adminSig).json().path("Response").path("RoomInfo");
        JsonNode live2 = roomInfo("live-2", adminSig).json().path("Response").path("RoomInfo");

        assertThat(live1.path("TakeSeatMode").stringValue()).isEqualTo("ApplyToTake");
        assertThat(live2.path("TakeSeatMode").isInt()).isTrue();
        assertThat(live2.path("TakeSeatMode").intValue()).isEqualTo(2);
        assertThat(live2.path("Owner_Account").stringValue()).isEqualTo("user2");
        assertThat(live2.path("CreateTime").longValue()).isEqualTo(1693271400L);
        assertThat(live2.path("MaxMemberCount").intValue()).isEqualTo(50);
    }

    @Test
    void reportsAnUnknownRoomAs100004() {
        assertFailure(roomInfo("gone", adminSig), 100004);
        assertFailure(memberPage("gone", ""), 100004);
    }

    @Test
    void memberPagesConcatenateToAllMembers() {
        List<String> seen = new ArrayList<>();
        List<String> nexts = new ArrayList<>();
        String next = "";
        do {
            JsonNode response = memberPage("live-1", next).json().path("Response");
            assertThat(response.path("MemberCount").intValue()).isEqualTo(23);
            response.path("MemberList").forEach(member -> seen.add(member.path("Member_Account").stringValue()));
            next = response.path("Next").stringValue();
            nexts.add(next);
        }
        while (!next.isEmpty() && nexts.size() < 10);

        assertThat(seen).containsExactlyElementsOf(members(23));
        assertThat(nexts).hasSize(3).last().isEqualTo("");
        assertThat(nexts.get(0)).doesNotMatch("[0-9]+");
        assertThat(emulator.calls(TencentEmulator.GET_MEMBER_LIST)).isEqualTo(3);
    }

    @Test
    void pageSizeIsConfigurable() {
        emulator.pageSize(20);

        JsonNode first = memberPage("live-1", "").json().path("Response");

        assertThat(first.path("MemberList")).hasSize(20);
    }

    @Test
    void rejectsANextItDidNotHandOut() {
        String next = memberPage("live-1", "").json().path("Response").path("Next").stringValue();

        assertFailure(memberPage("live-1", "10"), 100002);
        assertFailure(memberPage("live-1", next + "x"), 100002);
        assertFailure(memberPage("live-2", next), 100002);
        assertFailure(call("get_member_list", APP_ID, ADMIN, adminSig, "{\"RoomId\":\"live-1\"}"), 100002);
    }

    @Test
    void recordsEveryRandomValue() {
        roomInfo("live-1", adminSig);
        memberPage("live-1", "");
        roomInfo("gone", adminSig);

        assertThat(emulator.randomsSeen()).containsExactly(1L, 2L, 3L);
        emulator.resetCalls();
        assertThat(emulator.randomsSeen()).isEmpty();
    }

    @Test
    void failNextWithErrorCodeInjectsProviderErrors() {
        emulator.failNextWithErrorCode(2, 60007);

        assertFailure(roomInfo("live-1", adminSig), 60007);
        assertFailure(memberPage("live-1", ""), 60007);
        assertThat(roomInfo("live-1", adminSig).json().path("ErrorCode").intValue()).isZero();
        assertThat(emulator.randomsSeen()).hasSize(3);
    }

    @Test
    void unknownPathsAre404() {
        TestHttp.Response response = post(emulator.baseUrl() + "/v4/live_engine_http_srv/get_other?sdkappid=" + APP_ID,
                "{}");

        assertThat(response.status()).isEqualTo(404);
    }

    private TestHttp.Response roomInfo(String roomId, String userSig) {
        return call("get_room_info", APP_ID, ADMIN, userSig, "{\"RoomId\":\"" + roomId + "\"}");
    }

    private TestHttp.Response memberPage(String roomId, String next) {
        return call("get_member_list", APP_ID, ADMIN, adminSig,
                "{\"RoomId\":\"" + roomId + "\",\"Next\":\"" + next + "\"}");
    }

    private TestHttp.Response call(String api, long appId, String identifier, String userSig, String body) {
        String url = emulator.baseUrl() + "/v4/live_engine_http_srv/" + api + "?sdkappid=" + appId + "&identifier="
                + identifier + "&usersig=" + URLEncoder.encode(userSig, StandardCharsets.UTF_8) + "&random="
                + random++ + "&contenttype=json";
        return post(url, body);
    }

    private static TestHttp.Response post(String url, String body) {
        return TestHttp.post(url, Map.of("Content-Type", "application/json"), body);
    }

    private static void assertFailure(TestHttp.Response response, int errorCode) {
        JsonNode reply = response.json();
        assertThat(response.status()).isEqualTo(200);
        assertThat(reply.path("ActionStatus").stringValue()).isEqualTo("FAIL");
        assertThat(reply.path("ErrorCode").intValue()).isEqualTo(errorCode);
        assertThat(reply.path("ErrorInfo").stringValue()).isNotEmpty();
    }

    private static List<String> members(int count) {
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            members.add("member-" + i);
        }
        return members;
    }
}
