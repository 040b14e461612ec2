package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.schema.FleetDocument;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;
import dev.roomgate.schema.Source;

/**
 * A room document's JSON with each room serialized once. A cache hit hands out the very {@link Room} instance the
 * cache holds, so its bytes (the bulk of an answer: participants, metadata) are kept by that instance's identity,
 * weakly, and only the small envelope (fetch time, per-provider statuses and latencies) is written per answer.
 *
 * <p>The result is byte for byte what the mapper writes for the whole document. That is checked once at start-up
 * on a sample document; with a mapper configured otherwise (say, indented output) every answer is serialized whole,
 * as before.
 */
final class RoomDocumentJson {

    private static final byte[] ROOM_ID = bytes("{\"roomId\":");

    private static final byte[] COMPLETE = bytes(",\"complete\":");

    private static final byte[] FETCHED_AT = bytes(",\"fetchedAt\":");

    private static final byte[] ROOMS = bytes(",\"rooms\":[");

    private static final byte[] PROVIDERS = bytes("],\"providers\":");

    private static final byte[] FLEET_COMPLETE = bytes("{\"complete\":");

    private static final byte[] NEXT_CURSOR = bytes(",\"nextCursor\":");

    private static final byte[] TRUE = bytes("true");

    private static final byte[] FALSE = bytes("false");

    private static final byte[] END = bytes("}");

    private static final byte[] COMMA = bytes(",");

    /** Serialized rooms kept, per variant (with and without participants). */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private final JsonMapper json;

    // Weak keys compare by identity: an entry lives at most as long as the cache (or an answer in flight) holds the
    // room. Bounded by bytes, not count: every room the cache holds would otherwise carry its JSON too, doubling
    // the cache's memory; Caffeine's frequency-based admission keeps the rooms that are asked for again and again.
    private final Cache<Room, byte[]> withParticipants = bytesBounded();

    private final Cache<Room, byte[]> withoutParticipants = bytesBounded();

    // A kept room's digest for the tag, by the identity of its kept JSON: hashing 16 KiB per hit cost more than the
    // rest of the tag. Count-bounded, since a digest is 32 bytes.
    private final Cache<byte[], byte[]> digests = Caffeine.newBuilder().weakKeys().maximumSize(100_000).build();

    private final boolean pieceWise;

    RoomDocumentJson(JsonMapper json) {
        this.json = json;
        this.pieceWise = agreesWithMapper();
    }

    /** @param participants false: every participant list withheld, as {@link RoomDocument#withoutParticipants()} */
    PreparedBytes body(RoomDocument document, boolean participants) {
        if (!pieceWise) {
            return PreparedBytes.of(json.writeValueAsBytes(participants ? document : document.withoutParticipants()));
        }
        return pieces(document, participants);
    }

    /**
     * A fleet page around its rooms' JSON, as {@link #roomBytes} gave it for the page's tag: a page of listed
     * rooms, the same instances while the listing is reused, is then serialized once, not once per request.
     */
    PreparedBytes body(FleetDocument document, List<byte[]> rooms) {
        return pieceWise ? fleetPieces(document, rooms) : PreparedBytes.of(json.writeValueAsBytes(document));
    }

    private PreparedBytes fleetPieces(FleetDocument document, List<byte[]> rooms) {
        return Pieces.join(FLEET_COMPLETE, document.complete() ? TRUE : FALSE, FETCHED_AT,
                json.writeValueAsBytes(document.fetchedAt()), NEXT_CURSOR, json.writeValueAsBytes(document.nextCursor()),
                ROOMS, rooms, PROVIDERS, json.writeValueAsBytes(document.providers()), END);
    }

    /** Each room's JSON as {@link #body} writes it, for the answer's tag: kept bytes where there are any. */
    List<byte[]> roomBytes(List<Room> rooms, boolean participants) {
        List<byte[]> bytes = new ArrayList<>(rooms.size());
        for (Room room : rooms) {
            bytes.add(pieceWise ? room(room, participants)
                    : json.writeValueAsBytes(participants ? room : room.withoutParticipants()));
        }
        return bytes;
    }

    /** Each room's part of the answer's tag ({@link EntityTags#digest}), from its JSON as {@link #roomBytes} gave it. */
    List<byte[]> roomDigests(List<byte[]> roomBytes) {
        List<byte[]> digested = new ArrayList<>(roomBytes.size());
        for (byte[] room : roomBytes) {
            digested.add(digests.get(room, EntityTags::digest));
        }
        return digested;
    }

    private PreparedBytes pieces(RoomDocument document, boolean participants) {
        List<Room> rooms = document.rooms();
        List<byte[]> roomBytes = new ArrayList<>(rooms.size());
        for (Room room : rooms) {
            roomBytes.add(room(room, participants));
        }
        return Pieces.join(ROOM_ID, json.writeValueAsBytes(document.roomId()), COMPLETE,
                document.complete() ? TRUE : FALSE, FETCHED_AT, json.writeValueAsBytes(document.fetchedAt()), ROOMS,
                roomBytes, PROVIDERS, json.writeValueAsBytes(document.providers()), END);
    }

    /** A document's pieces in order: the envelope's parts around its rooms' kept JSON, comma-separated. */
    private static final class Pieces {

        static PreparedBytes join(byte[] head, byte[] id, byte[] label, byte[] flag, byte[] fetchedLabel,
                byte[] fetchedAt, byte[] roomsLabel, List<byte[]> rooms, byte[] providersLabel, byte[] providers,
                byte[] end) {
            PreparedBytes.Builder body = new PreparedBytes.Builder().add(head).add(id).add(label).add(flag)
                .add(fetchedLabel).add(fetchedAt).add(roomsLabel);
            for (int i = 0; i < rooms.size(); i++) {
                if (i > 0) {
                    body.add(COMMA);
                }
                body.add(rooms.get(i));
            }
            return body.add(providersLabel).add(providers).add(end).build();
        }
    }

    private byte[] room(Room room, boolean participants) {
        return participants ? withParticipants.get(room, json::writeValueAsBytes)
                : withoutParticipants.get(room, whole -> json.writeValueAsBytes(whole.withoutParticipants()));
    }

    /** Whether writing piece by piece gives exactly the mapper's bytes, on a document with every kind of field. */
    private boolean agreesWithMapper() {
        Room room = new Room("sample", ProviderType.PLUGNMEET, "room \"1\"", null, "T\u00eftle", true, null, false,
                Instant.parse("2026-01-02T03:04:05.678Z"), 3, null, "owner", "{\"a\":1}", List.of(),
                true, Map.of("flag", true));
        ProviderResult ok = new ProviderResult("sample", ProviderType.PLUGNMEET, ProviderStatus.OK, 12, 0, Source.CACHE,
                34L, null);
        RoomDocument document = new RoomDocument("room \"1\"", false, Instant.parse("2026-01-02T03:04:05.6789Z"),
                List.of(room, room), List.of(ok, ok));
        FleetDocument page = new FleetDocument(true, document.fetchedAt(), "next \"cursor\"", List.of(room, room),
                List.of(ok));
        FleetDocument last = new FleetDocument(false, document.fetchedAt(), null, List.of(), List.of(ok));
        return Arrays.equals(pieces(document, true).bytes(), json.writeValueAsBytes(document))
                && Arrays.equals(pieces(document, false).bytes(), json.writeValueAsBytes(document.withoutParticipants()))
                && Arrays.equals(writeFleet(page), json.writeValueAsBytes(page))
                && Arrays.equals(writeFleet(last), json.writeValueAsBytes(last));
    }

    private byte[] writeFleet(FleetDocument document) {
        List<byte[]> rooms = new ArrayList<>();
        document.rooms().forEach(room -> rooms.add(json.writeValueAsBytes(room)));
        return fleetPieces(document, rooms).bytes();
    }

    private static Cache<Room, byte[]> bytesBounded() {
        return Caffeine.newBuilder().weakKeys().maximumWeight(MAX_BYTES).<Room, byte[]>weigher((room, json) -> json.length)
            .build();
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.UTF_8);
    }
}
