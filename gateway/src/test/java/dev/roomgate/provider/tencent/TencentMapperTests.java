package dev.roomgate.provider.tencent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.roomgate.provider.Fixtures;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.Room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TencentMapperTests {

    private static JsonNode response(String fixture) {
        return Fixtures.json(fixture).get("Response");
    }

    @Test
    void keepsEveryDigitOfANumericOwnerAboveTwoToTheFiftyThree() {
        Room room = TencentMapper.toRoom("tencent-sg", response("tencent/room-info.json").get("RoomInfo"), null);
        assertThat(room.ownerId()).isEqualTo("144115233775727695");
    }

    @Test
    void mapsRoomInfo() {
        Room room = TencentMapper.toRoom("tencent-sg", response("tencent/room-info.json").get("RoomInfo"), null);

        assertThat(room.roomId()).isEqualTo("rid-123");
        assertThat(room.title()).isEqualTo("rname-123");
        assertThat(room.active()).isTrue();
        assertThat(room.createdAt()).isEqualTo(Instant.ofEpochSecond(1693271354L));
        assertThat(room.maxParticipants()).isEqualTo(300);
        assertThat(room.sessionId()).isNull();
        assertThat(room.recording()).isNull();
        assertThat(room.streaming()).isNull();
        assertThat(room.metadata()).isNull();
        assertThat(room.participants()).isNull();
        assertThat(room.participantCount()).isNull();
        assertThat(room.extensions()).containsKeys("RoomType", "IsSeatEnabled", "MaxSeatCount", "Category")
            .doesNotContainKeys("RoomId", "RoomName", "Owner_Account", "CreateTime", "MaxMemberCount");
        assertThat(room.extensions().get("TakeSeatMode").toString()).as("int 2 from the 2024 API")
            .isEqualTo("\"ApplyToTake\"");
    }

    @Test
    void concatenatesMemberPagesAndTakesTheCount() {
        List<String> accounts = new ArrayList<>();
        TencentMapper.MemberPage first = TencentMapper.toMemberPage(response("tencent/members-page-1.json"));
        TencentMapper.MemberPage last = TencentMapper.toMemberPage(response("tencent/members-page-2.json"));
        accounts.addAll(first.members());
        accounts.addAll(last.members());
        assertThat(first.next()).isEqualTo("c2Vn-2");
        assertThat(last.next()).isEmpty();

        Room room = TencentMapper.toRoom("tencent-sg", response("tencent/room-info.json").get("RoomInfo"),
                new TencentMapper.Members(accounts, first.memberCount()));

        assertThat(room.participantCount()).isEqualTo(3);
        assertThat(room.participantsComplete()).isTrue();
        assertThat(room.participants()).extracting(Participant::id)
            .containsExactly("brennan1", "tandy", "144115233775727696");
        assertThat(room.participants()).allSatisfy(p -> {
            assertThat(p.state()).isEqualTo("active");
            assertThat(p.name()).isNull();
            assertThat(p.joinedAt()).isNull();
        });
    }

    @Test
    void theOwnerIsMarkedAndAListCappedBelowTheCountIsIncomplete() {
        TencentMapper.MemberPage capped = TencentMapper.toMemberPage(response("tencent/members-capped.json"));

        Room room = TencentMapper.toRoom("tencent-sg", response("tencent/room-info.json").get("RoomInfo"),
                new TencentMapper.Members(capped.members(), capped.memberCount()));

        assertThat(room.participants()).extracting(Participant::id, Participant::role).containsExactly(
                tuple("144115233775727695", "owner"), tuple("brennan1", null), tuple("tandy", null));
        assertThat(room.participants()).allSatisfy(p -> assertThat(p.media()).as("not reported").isNull());
        assertThat(room.participantCount()).isEqualTo(1500);
        assertThat(room.participantsComplete()).isFalse();
    }

    @Test
    void acceptsTakeSeatModeAsString() throws Exception {
        JsonNode info = Fixtures.JSON.readTree("{\"RoomId\":\"r\",\"TakeSeatMode\":\"FreeToTake\",\"Owner_Account\":\"u1\"}");
        Room room = TencentMapper.toRoom("t", info, null);
        assertThat(room.extensions().get("TakeSeatMode").toString()).isEqualTo("\"FreeToTake\"");
        assertThat(room.ownerId()).isEqualTo("u1");
    }

    @Test
    void extensionsCarryOnlyTheAllowListedFields() throws Exception {
        JsonNode roomInfo = Fixtures.JSON.readTree("""
                {"RoomId":"r1","RoomName":"n","RoomType":"Live","Owner_Account":"host","CreateTime":1693271354,
                 "IsSeatEnabled":true,"TakeSeatMode":"FreeToTake","MaxSeatCount":8,"MaxMemberCount":300,
                 "IsMessageDisabled":false,"CoverURL":"https://cdn.example/cover.png","Category":[1,2],
                 "ActivityStatus":1,"IsPublicVisible":true,"ViewCount":10,
                 "CustomInfo":"owner=boss@example.com","OwnerIp":"10.0.0.7","FutureField":"x"}
                """);

        Room room = TencentMapper.toRoom("tencent-sg", roomInfo, null);

        assertThat(room.extensions()).containsOnlyKeys(TencentMapper.ROOM_EXTENSIONS);
        assertThat(room.extensions().toString()).doesNotContain("example.com\"", "boss", "10.0.0.7", "Future");
    }
}
