package dev.roomgate.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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

    @Test
    void roomInfoKeepsItsDefaultsForRoomsMadeWithoutListFields() {
        JsonNode live1 = roomInfo("live-1", adminSig).json().path("Response").path("RoomInfo");

        assertThat(live1.path("ViewCount").intValue()).isEqualTo(23);
        assertThat(live1.path("CoverURL").stringValue()).isEmpty();
        assertThat(live1.path("Category").isArray()).isTrue();
        assertThat(live1.path("Category")).isEmpty();
        assertThat(live1.path("ActivityStatus").intValue()).isEqualTo(1);
    }

    @Test
    void roomListFirstPageIsTheLastWhenAllRoomsFit() {
        emulator.addRoom(new TencentRoom("live-3", "Live three", "bren", 1693271500L, 300, false, List.of())
            .withCover("https://example.com/cover.png")
            .withCategory(List.of(1, 2, 3))
            .withActivityStatus(7)
            .withViewCount(1000));

        TestHttp.Response response = roomList("", 20);
        JsonNode reply = response.json();
        JsonNode list = reply.path("Response").path("RoomList");

        assertThat(response.status()).isEqualTo(200);
        assertThat(reply.path("ActionStatus").stringValue()).isEqualTo("OK");
        assertThat(reply.path("ErrorCode").intValue()).isZero();
        assertThat(reply.path("ErrorInfo").stringValue()).isEmpty();
        assertThat(reply.path("RequestId").stringValue()).startsWith("Id-");
        assertThat(reply.path("Response").path("Next").isString()).isTrue();
        assertThat(reply.path("Response").path("Next").stringValue()).isEmpty();
        assertThat(list).extracting(room -> room.path("RoomId").stringValue())
            .containsExactly("live-3", "live-1", "live-2");
        JsonNode first = list.get(0);
        assertThat(first.propertyNames()).containsExactly("RoomName", "RoomId", "Owner_Account", "CoverURL",
                "Category", "CreateTime", "ActivityStatus", "ViewCount");
        assertThat(first.path("RoomName").stringValue()).isEqualTo("Live three");
        assertThat(first.path("Owner_Account").stringValue()).isEqualTo("bren");
        assertThat(first.path("CoverURL").stringValue()).isEqualTo("https://example.com/cover.png");
        assertThat(first.path("Category")).extracting(JsonNode::intValue).containsExactly(1, 2, 3);
        assertThat(first.path("CreateTime").longValue()).isEqualTo(1693271500L);
        assertThat(first.path("ActivityStatus").intValue()).isEqualTo(7);
        assertThat(first.path("ViewCount").intValue()).isEqualTo(1000);
        assertThat(response.body()).contains("\"Owner_Account\":144115233775727695,");
        assertThat(list.get(1).path("ViewCount").intValue()).isEqualTo(23);
        assertThat(emulator.calls(TencentEmulator.GET_ROOM_LIST)).isEqualTo(1);
    }

    @Test
    void roomListIsEmptyWithoutLiveRooms() {
        emulator.removeRoom("live-1");
        emulator.removeRoom("live-2");

        JsonNode response = roomList("", 20).json().path("Response");

        assertThat(response.path("RoomList").isArray()).isTrue();
        assertThat(response.path("RoomList")).isEmpty();
        assertThat(response.path("Next").stringValue()).isEmpty();
    }

    @Test
    void roomListPagesCoverEveryRoomOnceByViewCountDescending() {
        addListRooms(43);
        List<JsonNode> seen = new ArrayList<>();
        List<String> nexts = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String next = "";
        do {
            JsonNode response = roomList(next, 20).json().path("Response");
            response.path("RoomList").forEach(seen::add);
            sizes.add(response.path("RoomList").size());
            next = response.path("Next").stringValue();
            nexts.add(next);
        }
        while (!next.isEmpty() && nexts.size() < 10);

        List<String> ids = seen.stream().map(room -> room.path("RoomId").stringValue()).toList();
        assertThat(sizes).containsExactly(20, 20, 5);
        assertThat(nexts).hasSize(3).last().isEqualTo("");
        assertThat(nexts.get(0)).isNotEmpty().doesNotMatch("[0-9]+");
        assertThat(ids).hasSize(45).doesNotHaveDuplicates().contains("live-1", "live-2");
        for (int i = 1; i < seen.size(); i++) {
            int before = seen.get(i - 1).path("ViewCount").intValue();
            int after = seen.get(i).path("ViewCount").intValue();
            assertThat(after).isLessThanOrEqualTo(before);
            if (after == before) {
                assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
            }
        }
        assertThat(emulator.calls(TencentEmulator.GET_ROOM_LIST)).isEqualTo(3);
    }

    @Test
    void roomListServesACountAbove20As20() {
        addListRooms(43);

        JsonNode response = roomList("", 50).json().path("Response");
        JsonNode five = roomList("", 5).json().path("Response");

        assertThat(response.path("RoomList")).hasSize(20);
        assertThat(response.path("Next").stringValue()).isNotEmpty();
        assertThat(five.path("RoomList")).hasSize(5);
    }

    @Test
    void roomListSkipsARoomWhenAnEarlierOneClosesBetweenPages() {
        addListRooms(43);
        List<String> before = scanRoomList();
        JsonNode first = roomList("", 20).json().path("Response");
        List<String> page1 = ids(first.path("RoomList"));

        // Offset paging over a list that changed (providers.md 6.2): closing a room of page 1 moves the rest up one
        // place, so page 2 starts a room later and the room that was 21st is never listed.
        emulator.removeRoom(page1.get(0));
        JsonNode second = roomList(first.path("Next").stringValue(), 20).json().path("Response");
        List<String> page2 = ids(second.path("RoomList"));
        List<String> page3 = ids(roomList(second.path("Next").stringValue(), 20).json().path("Response")
            .path("RoomList"));

        assertThat(page1).isEqualTo(before.subList(0, 20));
        assertThat(page2).isEqualTo(before.subList(21, 41));
        assertThat(page3).isEqualTo(before.subList(41, 45));
        assertThat(page1).doesNotContain(before.get(20));
    }

    @Test
    void roomListRepeatsARoomWhenAMorePopularOneOpensBetweenPages() {
        addListRooms(43);
        JsonNode first = roomList("", 20).json().path("Response");
        List<String> page1 = ids(first.path("RoomList"));

        // providers.md 6.2: a new room with the most views goes first, pushing page 1's last room onto page 2.
        emulator.addRoom(new TencentRoom("popular", "Popular", "pop", 1L, 300, false, List.of()).withViewCount(9999));
        List<String> page2 = ids(roomList(first.path("Next").stringValue(), 20).json().path("Response")
            .path("RoomList"));

        assertThat(page2.get(0)).isEqualTo(page1.get(19));
        assertThat(page1).doesNotContain("popular");
        assertThat(page2).doesNotContain("popular");
    }

    @Test
    void roomListRefusesANextItDidNotHandOut() {
        emulator.listRateLimit(0);
        addListRooms(43);
        String next = roomList("", 20).json().path("Response").path("Next").stringValue();
        String memberNext = memberPage("live-1", "").json().path("Response").path("Next").stringValue();

        assertThat(roomList(next, 20).json().path("ErrorCode").intValue()).isZero();
        assertFailure(roomList("20", 20), 100002);
        assertFailure(roomList("1693271355-123123123123", 20), 100002);
        assertFailure(roomList(next + "x", 20), 100002);
        assertFailure(roomList(memberNext, 20), 100002);
        assertFailure(roomListBody("{\"Count\":20}"), 100002);
        assertFailure(roomListBody("{\"Next\":null,\"Count\":20}"), 100002);
        assertFailure(roomListBody("{\"Next\":0,\"Count\":20}"), 100002);
        assertFailure(memberPage("live-1", next), 100002);
    }

    @Test
    void roomListRequiresAPositiveIntegerCount() {
        emulator.listRateLimit(0);

        assertFailure(roomListBody("{\"Next\":\"\"}"), 100002);
        assertFailure(roomListBody("{\"Next\":\"\",\"Count\":\"20\"}"), 100002);
        assertFailure(roomListBody("{\"Next\":\"\",\"Count\":2.5}"), 100002);
        assertFailure(roomListBody("{\"Next\":\"\",\"Count\":0}"), 100002);
        assertFailure(roomListBody("{\"Next\":\"\",\"Count\":-1}"), 100002);
        assertFailure(roomListBody("{\"Next\":\"\",\"Count\":null}"), 100002);
        assertFailure(roomListBody("{}"), 100002);
        assertFailure(roomListBody("not json"), 60003);
        assertThat(roomListBody("{\"Next\":\"\",\"Count\":99999999999}").json()
            .path("Response")
            .path("RoomList")).hasSize(2);
    }

    @Test
    void roomListChecksTheUserSigLikeTheOtherApis() {
        String body = "{\"Next\":\"\",\"Count\":20}";
        String wrongKey = new TLSSigAPIv2(APP_ID, KEY.replace('5', '6')).genUserSig(ADMIN, 86400);
        String expired = new TLSSigAPIv2(APP_ID, KEY).genUserSig(ADMIN, -10);
        String bobSig = new TLSSigAPIv2(APP_ID, KEY).genUserSig("bob", 86400);

        assertFailure(call("get_room_list", APP_ID, ADMIN, wrongKey, body), 70009);
        assertFailure(call("get_room_list", APP_ID, ADMIN, expired, body), 70001);
        assertFailure(call("get_room_list", APP_ID, ADMIN, bobSig, body), 70013);
        assertFailure(call("get_room_list", APP_ID, ADMIN, "", body), 70002);
        assertFailure(call("get_room_list", APP_ID, "bob", bobSig, body), 60010);
        assertThat(emulator.calls(TencentEmulator.GET_ROOM_LIST)).isEqualTo(5);
    }

    @Test
    void roomListRefusesThe11thCallWithinOneSecond() {
        AtomicLong clock = new AtomicLong(5_000_000_000L);
        emulator.listRateClock(clock::get);
        long start = clock.get();

        for (int i = 0; i < 10; i++) {
            clock.set(start + i * 10_000_000L);
            assertThat(roomList("", 20).json().path("ErrorCode").intValue()).as("call %d", i + 1).isZero();
        }
        clock.set(start + 999_999_999L);
        assertFailure(roomList("", 20), 60007);
        // get_room_info has its own, far higher limit.
        assertThat(roomInfo("live-1", adminSig).json().path("ErrorCode").intValue()).isZero();
        clock.set(start + 1_000_000_000L);
        assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();
        assertFailure(roomList("", 20), 60007);
        clock.set(start + 1_010_000_000L);
        assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();

        assertThat(emulator.calls(TencentEmulator.GET_ROOM_LIST)).isEqualTo(14);
        assertThat(emulator.maxCallsInAnyWindow(TencentEmulator.GET_ROOM_LIST, Duration.ofSeconds(1)))
            .isGreaterThan(10);
    }

    @Test
    void roomListLimitIsConfigurableAndForgottenWithTheCalls() {
        AtomicLong clock = new AtomicLong();
        emulator.listRateClock(clock::get).listRateLimit(2);

        assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();
        assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();
        assertFailure(roomList("", 20), 60007);
        emulator.resetCalls();
        assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();

        emulator.listRateLimit(0);
        for (int i = 0; i < 30; i++) {
            assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();
        }
        emulator.listRateLimit(TencentEmulator.DEFAULT_LIST_RATE_LIMIT);
        assertFailure(roomList("", 20), 60007);
    }

    @Test
    void injectedFaultsAnswerRoomListCallsToo() {
        emulator.failNextWithErrorCode(1, 100001);

        assertFailure(roomList("", 20), 100001);
        assertThat(roomList("", 20).json().path("ErrorCode").intValue()).isZero();
        assertThat(emulator.calls(TencentEmulator.GET_ROOM_LIST)).isEqualTo(2);
    }

    private TestHttp.Response roomList(String next, int count) {
        return roomListBody("{\"Next\":\"" + next + "\",\"Count\":" + count + "}");
    }

    private TestHttp.Response roomListBody(String body) {
        return call("get_room_list", APP_ID, ADMIN, adminSig, body);
    }

    /** Rooms list-0 … list-(n-1), with ViewCounts from 0 to 9 so that some tie with each other and with live-2. */
    private void addListRooms(int count) {
        for (int i = 0; i < count; i++) {
            emulator.addRoom(new TencentRoom(String.format("list-%02d", i), "List " + i, "owner-" + i,
                    1693271354L + i, 300, false, List.of()).withViewCount(i % 10));
        }
    }

    /** Every RoomId, following Next to its end. */
    private List<String> scanRoomList() {
        List<String> ids = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            JsonNode response = roomList(next, 20).json().path("Response");
            ids.addAll(ids(response.path("RoomList")));
            next = response.path("Next").stringValue();
        }
        while (!next.isEmpty() && ++pages < 10);
        return ids;
    }

    private static List<String> ids(JsonNode roomList) {
        List<String> ids = new ArrayList<>();
        roomList.forEach(room -> ids.add(room.path("RoomId").stringValue()));
        return ids;
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
