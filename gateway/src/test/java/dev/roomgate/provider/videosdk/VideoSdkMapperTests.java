package dev.roomgate.provider.videosdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.roomgate.provider.Fixtures;
import dev.roomgate.schema.Media;
import dev.roomgate.schema.MediaState;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.Room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class VideoSdkMapperTests {

    @Test
    void picksTheOngoingSessionAmongEndedOnes() {
        JsonNode session = VideoSdkMapper.ongoingSession(Fixtures.json("videosdk/sessions.json"));
        assertThat(VideoSdkMapper.sessionId(session)).isEqualTo("621497578bea0d0404c35c4c");
    }

    @Test
    void noOngoingSessionMeansNone() throws Exception {
        assertThat(VideoSdkMapper.ongoingSession(Fixtures.JSON.readTree("{\"data\":[]}"))).isNull();
    }

    @Test
    void followsPageInfoRatherThanTheRequestedPageSize() {
        VideoSdkMapper.ParticipantPage first = VideoSdkMapper
            .toParticipantPage(Fixtures.json("videosdk/active-page-1.json"), 1);
        VideoSdkMapper.ParticipantPage second = VideoSdkMapper
            .toParticipantPage(Fixtures.json("videosdk/active-page-2.json"), 2);

        assertThat(first.isLast(2)).isFalse();
        assertThat(first.participants()).hasSize(2);
        assertThat(second.isLast(3)).isTrue();
        assertThat(first.total()).isEqualTo(3);
    }

    @Test
    void withoutLastPageTheTotalDecidesAndOtherwiseOnlyAnEmptyPage() throws Exception {
        VideoSdkMapper.ParticipantPage counted = VideoSdkMapper.toParticipantPage(Fixtures.JSON.readTree(
                "{\"pageInfo\":{\"total\":3},\"data\":[{\"participants\":[{\"participantId\":\"a\"}]}]}"), 1);
        assertThat(counted.isLast(1)).isFalse();
        assertThat(counted.isLast(3)).isTrue();
        VideoSdkMapper.ParticipantPage bare = VideoSdkMapper.toParticipantPage(Fixtures.JSON.readTree(
                "{\"data\":{\"participants\":[{\"participantId\":\"a\"}]}}"), 1);
        assertThat(bare.isLast(1)).isFalse();
        VideoSdkMapper.ParticipantPage empty = VideoSdkMapper.toParticipantPage(Fixtures.JSON.readTree(
                "{\"data\":{\"participants\":[]}}"), 2);
        assertThat(empty.isLast(1)).isTrue();
    }

    @Test
    void mapsSessionAndParticipants() {
        JsonNode session = VideoSdkMapper.ongoingSession(Fixtures.json("videosdk/sessions.json"));
        VideoSdkMapper.ParticipantPage first = VideoSdkMapper
            .toParticipantPage(Fixtures.json("videosdk/active-page-1.json"), 1);
        VideoSdkMapper.ParticipantPage second = VideoSdkMapper
            .toParticipantPage(Fixtures.json("videosdk/active-page-2.json"), 2);
        List<JsonNode> all = new ArrayList<>(first.participants());
        all.addAll(second.participants());

        Room room = VideoSdkMapper.toRoom("videosdk-main", session, first.session(), all, first.total());

        assertThat(room.roomId()).isEqualTo("abc-xyzw-lmno");
        assertThat(room.sessionId()).isEqualTo("621497578bea0d0404c35c4c");
        assertThat(room.active()).isTrue();
        assertThat(room.createdAt()).isEqualTo(Instant.parse("2022-02-22T07:57:11.505Z"));
        assertThat(room.participantCount()).isEqualTo(3);
        assertThat(room.title()).isNull();
        assertThat(room.extensions()).containsKeys("region", "customRoomId").doesNotContainKeys("apiKey", "links");
        assertThat(room.participants()).extracting(Participant::id).containsExactly("but3ihic", "x9kq2", "zz1");

        Participant jacques = room.participants().get(0);
        assertThat(jacques.name()).isEqualTo("Jacques");
        assertThat(jacques.sessionId()).isEqualTo("6214975b8bea0d0404c35c51");
        assertThat(jacques.joinedAt()).as("start of the last timelog entry")
            .isEqualTo(Instant.parse("2022-02-22T08:01:02.250Z"));
        assertThat(jacques.role()).isEqualTo("conference");
        assertThat(jacques.state()).isEqualTo("active");
        assertThat(jacques.extensions()).containsKeys("deviceInfo", "geoLocation");
        assertThat(room.participants().get(1).role()).isEqualTo("viewer");
        assertThat(room.participants().get(1).joinedAt()).isEqualTo(Instant.parse("2022-02-22T07:59:00Z"));
    }

    @Test
    void modesHaveOneNameEachAndMediaIsTheOpenIntervals() {
        VideoSdkMapper.ParticipantPage page = VideoSdkMapper
            .toParticipantPage(Fixtures.json("videosdk/active-modes-and-media.json"), 1);

        Room room = VideoSdkMapper.toRoom("videosdk-main", page.session(), page.session(), page.participants(),
                page.total());

        assertThat(room.participants()).extracting(Participant::id, Participant::role).containsExactly(
                tuple("host", "conference"), tuple("watcher", "viewer"), tuple("listener", "viewer"),
                tuple("legacy", "conference"), tuple("future", "stage_guest"));
        assertThat(room.participants().get(0).media()).as("mic reopened, webcam on, screen share ended")
            .isEqualTo(new Media(MediaState.ON, MediaState.ON, MediaState.OFF));
        assertThat(room.participants().get(1).media())
            .isEqualTo(new Media(MediaState.OFF, MediaState.OFF, MediaState.OFF));
        assertThat(room.participants().get(3).media()).as("no events: nothing reported").isNull();
        assertThat(room.participants().get(4).media()).as("missing kinds are off")
            .isEqualTo(new Media(MediaState.ON, MediaState.OFF, MediaState.OFF));
        assertThat(room.participantsComplete()).isTrue();
    }

    @Test
    void fewerListedThanTheListingsTotalIsIncomplete() {
        VideoSdkMapper.ParticipantPage page = VideoSdkMapper
            .toParticipantPage(Fixtures.json("videosdk/active-modes-and-media.json"), 1);

        Room room = VideoSdkMapper.toRoom("videosdk-main", page.session(), page.session(),
                page.participants().subList(0, 2), page.total());

        assertThat(room.participantsComplete()).isFalse();
        assertThat(VideoSdkMapper.toRoom("videosdk-main", page.session(), page.session(), null, null)
            .participantsComplete()).isNull();
    }

    @Test
    void anHlsStreamIsLiveUntilItHasAnEnd() throws Exception {
        // hls-active.json is V1's "Fetch active HLS" sample; hls-ended.json the same stream once ended, with the
        // newer fields of V2's HlsStream (providers.md 6.3).
        assertThat(VideoSdkMapper.hlsLive(Fixtures.json("videosdk/hls-active.json"))).isTrue();
        assertThat(VideoSdkMapper.hlsLive(Fixtures.json("videosdk/hls-ended.json"))).isFalse();
        assertThat(VideoSdkMapper.hlsLive(Fixtures.JSON.readTree("{\"data\":null}"))).isFalse();
        assertThat(VideoSdkMapper.hlsLive(Fixtures.JSON.readTree("{}"))).isFalse();
    }

    @Test
    void streamingIsWhatTheHlsCallSaidAndNullWhenNotAsked() {
        JsonNode session = VideoSdkMapper.ongoingSession(Fixtures.json("videosdk/sessions.json"));
        assertThat(VideoSdkMapper.toRoom("videosdk-main", session, null, null, null, true).streaming()).isTrue();
        assertThat(VideoSdkMapper.toRoom("videosdk-main", session, null, null, null, false).streaming()).isFalse();
        assertThat(VideoSdkMapper.toRoom("videosdk-main", session, null, null, null).streaming()).isNull();
    }

    @Test
    void extensionsCarryOnlyTheAllowListedFields() throws Exception {
        JsonNode session = Fixtures.JSON.readTree("""
                {"id":"s1","roomId":"r1","customRoomId":"standup","start":"2022-02-22T07:57:11.505Z","end":null,
                 "status":"ongoing","region":"in002","activeDuration":60,"userId":"account-42",
                 "apiKey":"our-key","links":{"get_room":"https://api.example/v2/rooms/r1"},
                 "chatLink":"https://chat.example/r1","hlsLog":[],"futureField":"x"}
                """);
        JsonNode participant = Fixtures.JSON.readTree("""
                {"participantId":"p1","name":"Ann","_id":"c1","mode":"CONFERENCE","initTime":1645516633,
                 "email":"ann@example.com","ip":"10.0.0.7","events":{"mic":[]},
                 "deviceInfo":{"sdkType":"js","sdkVersion":"0.1.2","platform":"web","deviceId":"hw-123",
                   "browserUserAgent":{"browser":{"name":"Chrome","version":"120"},"os":{"name":"Linux"},
                     "platform":{"type":"desktop"},"ua":"Mozilla/5.0 (X11; Linux) raw"}},
                 "geoLocation":{"city":"Pune","region":"MH","country":"IN","ip":"10.0.0.7","lat":18.5}}
                """);

        Room room = VideoSdkMapper.toRoom("videosdk-main", session, null, List.of(participant), 1);

        assertThat(room.extensions()).containsOnlyKeys("region", "customRoomId", "activeDuration");
        Participant ann = room.participants().get(0);
        assertThat(ann.extensions()).containsOnlyKeys("initTime", "deviceInfo", "geoLocation");
        assertThat(ann.extensions().get("geoLocation").toString())
            .isEqualTo("{\"city\":\"Pune\",\"region\":\"MH\",\"country\":\"IN\"}");
        assertThat(ann.extensions().get("deviceInfo").toString()).isEqualTo("{\"sdkType\":\"js\",\"sdkVersion\":"
                + "\"0.1.2\",\"platform\":\"web\",\"browserUserAgent\":{\"browser\":{\"name\":\"Chrome\","
                + "\"version\":\"120\"},\"os\":{\"name\":\"Linux\"},\"platform\":{\"type\":\"desktop\"}}}");
        assertThat(room.extensions() + " " + ann.extensions()).doesNotContain("example", "10.0.0.7", "account-42",
                "hw-123", "Mozilla", "future", "our-key");
    }
}
