package dev.roomgate.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.schema.Media;
import dev.roomgate.schema.MediaState;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.FleetDocument;
import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;
import dev.roomgate.schema.Source;

import static org.assertj.core.api.Assertions.assertThat;

/** Serializing rooms once must give exactly the bytes the mapper gives for the whole document. */
class RoomDocumentJsonTests {

    private final JsonMapper mapper = JsonMapper.builder().build();

    private final RoomDocumentJson documents = new RoomDocumentJson(mapper);

    @Test
    void writesWhatTheMapperWritesWithAndWithoutParticipants() {
        RoomDocument document = document(Instant.parse("2026-11-23T02:12:47.271100257Z"), rooms());
        assertThat(new String(documents.body(document, true).bytes()))
            .isEqualTo(new String(mapper.writeValueAsBytes(document)));
        assertThat(new String(documents.body(document, false).bytes()))
            .isEqualTo(new String(mapper.writeValueAsBytes(document.withoutParticipants())));
    }

    @Test
    void aReusedRoomKeepsItsBytesWhileTheEnvelopeChanges() {
        List<Room> rooms = rooms();
        RoomDocument first = document(Instant.parse("2026-11-23T02:12:47Z"), rooms);
        RoomDocument later = document(Instant.parse("2026-11-23T02:12:48.5Z"), rooms);
        assertThat(new String(documents.body(first, true).bytes())).isEqualTo(new String(mapper.writeValueAsBytes(first)));
        // The same room instances again (a cache hit): the answer still reflects the new envelope exactly.
        assertThat(new String(documents.body(later, true).bytes())).isEqualTo(new String(mapper.writeValueAsBytes(later)));
        assertThat(new String(documents.body(later, false).bytes()))
            .isEqualTo(new String(mapper.writeValueAsBytes(later.withoutParticipants())));
    }

    @Test
    void noRoomsAtAll() {
        RoomDocument document = new RoomDocument("gone", true, Instant.parse("2026-11-23T02:12:47Z"), List.of(),
                List.of(new ProviderResult("p", ProviderType.TENCENT, ProviderStatus.NOT_FOUND, 3, 0, Source.UPSTREAM,
                        null, null)));
        assertThat(new String(documents.body(document, true).bytes()))
            .isEqualTo(new String(mapper.writeValueAsBytes(document)));
    }

    @Test
    void aFleetPageIsWhatTheMapperWritesWithItsRoomsKeptBytes() {
        List<Room> listed = rooms().stream().map(Room::withoutParticipants).toList();
        FleetDocument page = new FleetDocument(false, Instant.parse("2026-11-23T02:12:47.5Z"), "eyJjdXJzb3IifQ", listed,
                document(Instant.EPOCH, List.of()).providers());
        FleetDocument last = new FleetDocument(true, Instant.parse("2026-11-23T02:12:48Z"), null, List.of(),
                document(Instant.EPOCH, List.of()).providers());
        for (FleetDocument fleet : List.of(page, last)) {
            List<byte[]> rooms = documents.roomBytes(fleet.rooms(), true);
            assertThat(new String(documents.body(fleet, rooms).bytes())).isEqualTo(new String(mapper.writeValueAsBytes(fleet)));
        }
    }

    @Test
    void aMapperConfiguredOtherwiseGetsTheWholeDocumentSerialized() {
        JsonMapper indenting = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        RoomDocumentJson fallback = new RoomDocumentJson(indenting);
        RoomDocument document = document(Instant.parse("2026-11-23T02:12:47Z"), rooms());
        assertThat(new String(fallback.body(document, false).bytes()))
            .isEqualTo(new String(indenting.writeValueAsBytes(document.withoutParticipants())));
    }

    private static RoomDocument document(Instant fetchedAt, List<Room> rooms) {
        return new RoomDocument("demo-standup", false, fetchedAt, rooms, List.of(
                new ProviderResult("plugnmeet-demo", ProviderType.PLUGNMEET, ProviderStatus.OK, 41, 0, Source.CACHE, 812L,
                        null),
                new ProviderResult("tencent-demo", ProviderType.TENCENT, ProviderStatus.TIMEOUT, 2003, 1, Source.UPSTREAM,
                        null, new ProviderError("UPSTREAM_TIMEOUT", "no answer within 2s", null, null)),
                new ProviderResult("videosdk-demo", ProviderType.VIDEOSDK, ProviderStatus.OK, 57, 0, Source.UPSTREAM, null,
                        null)));
    }

    private static List<Room> rooms() {
        List<Participant> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("is_publisher", i % 2 == 0);
            extensions.put("region", i == 3 ? null : "eu\u00e9-" + i);
            people.add(new Participant("user-" + i, i == 2 ? null : "Name \"" + i + "\" \u4e2d", "PA_" + i, "active",
                    Instant.parse("2026-11-23T01:25:4" + i + ".1Z"), i == 0 ? "admin" : null,
                    i == 1 ? new Media(MediaState.ON, MediaState.MUTED, MediaState.OFF) : null,
                    "{\"is_admin\":" + (i == 0) + "}", extensions));
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("is_breakout_room", false);
        extensions.put("nested", Map.of("seats", 8));
        Room plugNmeet = new Room("plugnmeet-demo", ProviderType.PLUGNMEET, "demo-standup", "RM_1", "Daily stand-up",
                true, true, false, Instant.parse("2026-11-23T01:25:44Z"), 5, null, null, "{\"room_title\":\"x\"}",
                people, true, extensions);
        Room videoSdk = new Room("videosdk-demo", ProviderType.VIDEOSDK, "demo-standup", "6650", null, true, null,
                null, Instant.parse("2026-11-23T01:25:44.168Z"), null, null, null, null, List.of(), true, Map.of());
        return List.of(plugNmeet, videoSdk);
    }
}
