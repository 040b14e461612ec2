package dev.roomgate.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.tencentyun.TLSSigAPIv2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRoomsTests {

    private final PlugNmeetEmulator plugNmeet = new PlugNmeetEmulator(DemoRooms.PLUGNMEET_API_KEY,
            DemoRooms.PLUGNMEET_API_SECRET);

    private final TencentEmulator tencent = new TencentEmulator(DemoRooms.TENCENT_SDK_APP_ID,
            DemoRooms.TENCENT_IDENTIFIER, DemoRooms.TENCENT_SECRET_KEY);

    private final VideoSdkEmulator videoSdk = new VideoSdkEmulator(DemoRooms.VIDEOSDK_API_KEY,
            DemoRooms.VIDEOSDK_SECRET);

    @BeforeEach
    void start() {
        plugNmeet.start();
        tencent.start();
        videoSdk.start();
        DemoRooms.install(plugNmeet, tencent, videoSdk);
    }

    @AfterEach
    void stop() {
        plugNmeet.close();
        tencent.close();
        videoSdk.close();
    }

    @Test
    void standupIsLiveEverywhereWithSeveralPages() {
        JsonNode plugNmeetRoom = plugNmeetRoom(DemoRooms.DEMO_STANDUP).path("room");
        List<JsonNode> admins = new ArrayList<>();
        plugNmeetRoom.path("participants_info").forEach(participant -> {
            if (TestHttp.parse(participant.path("metadata").stringValue()).path("is_admin").booleanValue()) {
                admins.add(participant);
            }
        });

        assertThat(plugNmeetRoom.path("participants_info")).hasSize(5);
        assertThat(admins).hasSize(1);
        assertThat(tencentMembers(DemoRooms.DEMO_STANDUP)).hasSize(23);
        assertThat(tencent.calls(TencentEmulator.GET_MEMBER_LIST)).isEqualTo(3);
        JsonNode pageInfo = videoSdkActive(DemoRooms.DEMO_STANDUP_VIDEOSDK_SESSION).path("pageInfo");
        assertThat(pageInfo.path("total").intValue()).isEqualTo(27);
        assertThat(pageInfo.path("lastPage").intValue()).isEqualTo(3);
    }

    @Test
    void townHallIsOnPlugNmeetAndVideoSdkOnly() {
        JsonNode info = plugNmeetRoom(DemoRooms.TOWN_HALL).path("room").path("room_info");

        assertThat(info.path("is_recording").intValue()).isEqualTo(1);
        assertThat(info.path("is_active_rtmp").intValue()).isEqualTo(1);
        assertThat(tencentRoomInfo(DemoRooms.TOWN_HALL).path("ErrorCode").intValue()).isEqualTo(100004);
        JsonNode townHall = videoSdkActive(DemoRooms.TOWN_HALL_VIDEOSDK_SESSION).path("data").get(0);
        assertThat(townHall.path("roomId").stringValue()).isEqualTo(DemoRooms.TOWN_HALL);
    }

    @Test
    void tencentOnlyHasTheHugeNumericOwner() {
        JsonNode info = tencentRoomInfo(DemoRooms.TENCENT_ONLY).path("Response").path("RoomInfo");

        assertThat(info.path("Owner_Account").bigIntegerValue().toString()).isEqualTo(DemoRooms.TENCENT_ONLY_OWNER);
        assertThat(info.path("TakeSeatMode").isInt()).isTrue();
        assertThat(plugNmeetRoom(DemoRooms.TENCENT_ONLY).path("status_code").stringValue()).isEqualTo("ROOM_NOT_FOUND");
    }

    private JsonNode plugNmeetRoom(String roomId) {
        String body = "{\"room_id\":\"" + roomId + "\"}";
        return TestHttp.post(plugNmeet.baseUrl() + "/auth/room/getActiveRoomInfo",
                Map.of("API-KEY", DemoRooms.PLUGNMEET_API_KEY, "HASH-SIGNATURE",
                        TestCredentials.plugNmeetSignature(DemoRooms.PLUGNMEET_API_SECRET, body)),
                body)
            .json();
    }

    private JsonNode tencentRoomInfo(String roomId) {
        return tencentCall("get_room_info", "{\"RoomId\":\"" + roomId + "\"}");
    }

    private List<String> tencentMembers(String roomId) {
        List<String> members = new ArrayList<>();
        String next = "";
        do {
            String body = "{\"RoomId\":\"" + roomId + "\",\"Next\":\"" + next + "\"}";
            JsonNode response = tencentCall("get_member_list", body).path("Response");
            response.path("MemberList").forEach(member -> members.add(member.path("Member_Account").stringValue()));
            next = response.path("Next").stringValue();
        }
        while (!next.isEmpty());
        return members;
    }

    private JsonNode tencentCall(String api, String body) {
        String userSig = new TLSSigAPIv2(DemoRooms.TENCENT_SDK_APP_ID, DemoRooms.TENCENT_SECRET_KEY)
            .genUserSig(DemoRooms.TENCENT_IDENTIFIER, 600);
        String url = tencent.baseUrl() + "/v4/live_engine_http_srv/" + api + "?sdkappid=" + DemoRooms.TENCENT_SDK_APP_ID
                + "&identifier=" + DemoRooms.TENCENT_IDENTIFIER + "&usersig=" + userSig + "&random=7&contenttype=json";
        return TestHttp.post(url, Map.of(), body).json();
    }

    private JsonNode videoSdkActive(String sessionId) {
        long now = TestCredentials.nowSeconds();
        String token = TestCredentials.videoSdkToken(DemoRooms.VIDEOSDK_API_KEY, DemoRooms.VIDEOSDK_SECRET, now,
                now + 600);
        return TestHttp.get(videoSdk.baseUrl() + "/v2/sessions/" + sessionId + "/participants/active",
                Map.of("Authorization", token))
            .json();
    }
}
