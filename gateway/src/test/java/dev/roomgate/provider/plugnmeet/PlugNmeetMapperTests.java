package dev.roomgate.provider.plugnmeet;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.Fixtures;
import dev.roomgate.schema.Media;
import dev.roomgate.schema.MediaState;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlugNmeetMapperTests {

    private final PlugNmeetMapper mapper = new PlugNmeetMapper(Fixtures.JSON);

    private Room room(String fixture, boolean participants) {
        return mapper.toRoom("plugnmeet-eu", Fixtures.json(fixture).get("room"), participants);
    }

    @Test
    void mapsRoomFieldsFromProtojsonWithExtraSpacesAndStringInt64() {
        Room room = room("plugnmeet/room-info.json", true);

        assertThat(room.provider()).isEqualTo("plugnmeet-eu");
        assertThat(room.providerType()).isEqualTo(ProviderType.PLUGNMEET);
        assertThat(room.roomId()).isEqualTo("room01");
        assertThat(room.sessionId()).isEqualTo("RM_abc123");
        assertThat(room.title()).isEqualTo("Weekly sync");
        assertThat(room.active()).isTrue();
        assertThat(room.recording()).isTrue();
        assertThat(room.streaming()).isFalse();
        assertThat(room.createdAt()).isEqualTo(Instant.ofEpochSecond(1700000000L));
        assertThat(room.participantCount()).isEqualTo(2);
        assertThat(room.maxParticipants()).isNull();
        assertThat(room.ownerId()).isNull();
        assertThat(room.metadata()).isEqualTo("{\"room_title\":\"Weekly sync\", \"is_recording\":true}");
        assertThat(room.extensions()).containsEntry("is_breakout_room", false).doesNotContainKey("webhook_url");
    }

    @Test
    void mapsParticipantsInAStableOrderWithRolesFromMetadata() {
        Room room = room("plugnmeet/room-info.json", true);

        assertThat(room.participants()).extracting(Participant::id).containsExactly("user01", "user02", "recorder");
        Participant alice = room.participants().get(0);
        assertThat(alice.name()).isEqualTo("Alice");
        assertThat(alice.sessionId()).isEqualTo("PA_one");
        assertThat(alice.state()).isEqualTo("active");
        assertThat(alice.joinedAt()).isEqualTo(Instant.ofEpochMilli(1700000005123L));
        assertThat(alice.role()).isEqualTo("admin");
        assertThat(alice.extensions()).containsKeys("permission", "kind", "is_publisher")
            .as("attributes are user metadata").doesNotContainKey("attributes");

        Participant bob = room.participants().get(1);
        assertThat(bob.joinedAt()).as("joined_at seconds when joined_at_ms is absent")
            .isEqualTo(Instant.ofEpochSecond(1700000100L));
        assertThat(bob.role()).isEqualTo("participant");
        assertThat(bob.state()).isEqualTo("joined");

        Participant recorder = room.participants().get(2);
        assertThat(recorder.role()).as("metadata that does not parse").isNull();
        assertThat(recorder.joinedAt()).isNull();
        assertThat(recorder.name()).isNull();
        assertThat(recorder.state()).isEqualTo("joining");
    }

    @Test
    void mediaComesFromTheTracksByNameOrByNumber() {
        Room room = room("plugnmeet/room-info-media-and-bots.json", true);

        assertThat(byId(room, "teacher").media()).as("camera live, mic muted, screen shared")
            .isEqualTo(new Media(MediaState.ON, MediaState.MUTED, MediaState.ON));
        assertThat(byId(room, "student").media()).as("enums as numbers: camera muted, mic live")
            .isEqualTo(new Media(MediaState.MUTED, MediaState.ON, MediaState.OFF));
        assertThat(byId(room, "RECORDER_BOT").media()).as("nothing published")
            .isEqualTo(new Media(MediaState.OFF, MediaState.OFF, MediaState.OFF));
        assertThat(byId(room, "viewer").media()).as("no track list at all says nothing").isNull();
    }

    @Test
    void theRecorderAndRtmpBotsAreRecordersNotAdmins() {
        Room room = room("plugnmeet/room-info-media-and-bots.json", true);

        assertThat(byId(room, "RECORDER_BOT").role()).isEqualTo("recorder");
        assertThat(byId(room, "RTMP_BOT").role()).as("by identity, without a permission object").isEqualTo("recorder");
        assertThat(byId(room, "teacher").role()).isEqualTo("admin");
        assertThat(byId(room, "student").role()).isEqualTo("participant");
        assertThat(room.participantsComplete()).as("five listed, five counted").isTrue();
    }

    @Test
    void anEmptyListBesideAPositiveCountIsIncomplete() {
        Room room = room("plugnmeet/room-info-listing-failed.json", true);

        assertThat(room.participants()).isEmpty();
        assertThat(room.participantCount()).isEqualTo(4);
        assertThat(room.participantsComplete()).isFalse();
        assertThat(room("plugnmeet/room-info-listing-failed.json", false).participantsComplete())
            .as("no list, nothing to be complete").isNull();
    }

    private static Participant byId(Room room, String id) {
        return room.participants().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void acceptsBooleanFlagsToo() {
        Room room = room("plugnmeet/room-info-booleans.json", true);
        assertThat(room.active()).isTrue();
        assertThat(room.recording()).isFalse();
        assertThat(room.streaming()).isTrue();
        assertThat(room.title()).isNull();
        assertThat(room.participants()).isEmpty();
    }

    @Test
    void withoutParticipantsTheListIsNullButTheCountStays() {
        Room room = room("plugnmeet/room-info.json", false);
        assertThat(room.participants()).isNull();
        assertThat(room.participantCount()).isEqualTo(2);
    }

    @Test
    void roomWithoutRoomInfoIsInvalid() {
        assertThatThrownBy(() -> mapper.toRoom("p", Fixtures.JSON.readTree("{\"room_info\":null}"), true))
            .isInstanceOf(ProviderException.class)
            .hasMessageContaining("room_info");
    }

    @Test
    void int64FieldThatIsNotANumberIsInvalid() {
        String body = "{\"room_info\":{\"room_id\":\"r\",\"creation_time\":\"soon\"}}";
        assertThatThrownBy(() -> mapper.toRoom("p", Fixtures.JSON.readTree(body), true))
            .isInstanceOf(ProviderException.class);
    }

    @Test
    void extensionsCarryOnlyTheAllowListedFields() throws Exception {
        var room = Fixtures.JSON.readTree("""
                {"room_info":{"room_id":"r1","sid":"RM_1","is_running":1,"is_breakout_room":1,
                  "parent_room_id":"main","webhook_url":"https://hooks.example/secret","future_field":"x",
                  "admin_email":"boss@example.com"},
                 "participants_info":[{"sid":"PA_1","identity":"u1","state":"ACTIVE","kind":"STANDARD",
                  "is_publisher":true,"region":"eu-1","version":3,"attributes":{"email":"u1@example.com"},
                  "client_ip":"10.0.0.7","metadata":"{}",
                  "permission":{"can_publish":true,"hidden":false,"future_flag":true}}]}
                """);

        Room mapped = mapper.toRoom("plugnmeet-eu", room, true);

        assertThat(mapped.extensions()).containsOnlyKeys("is_breakout_room", "parent_room_id")
            .containsEntry("is_breakout_room", true).containsEntry("parent_room_id", "main");
        Participant participant = mapped.participants().get(0);
        assertThat(participant.extensions()).containsOnlyKeys("kind", "is_publisher", "region", "permission");
        assertThat(participant.extensions().get("permission").toString())
            .isEqualTo("{\"can_publish\":true,\"hidden\":false}");
        assertThat(participant.extensions().toString()).doesNotContain("example.com", "10.0.0.7", "future");
    }
}
