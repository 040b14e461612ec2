package dev.roomgate.emulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tencent REST reply bodies: the common envelope, the live-engine room info, member pages (providers.md 2) and room
 * list pages (providers.md 6.2).
 */
final class TencentReplies {

    /** A JSON number may not have leading zeros, so "0123" stays a string. */
    private static final Pattern BARE_NUMBER = Pattern.compile("0|[1-9][0-9]*");

    private static final String NEXT_PREFIX = "members:";

    private static final String LIST_NEXT_PREFIX = "rooms:";

    static final int LISTED_AT_MOST = 1000;

    private static final AtomicLong REQUEST_SEQ = new AtomicLong();

    private TencentReplies() {
    }

    static Reply roomInfo(TencentRoom room) {
        ObjectNode body = envelope();
        ObjectNode info = body.putObject("Response").putObject("RoomInfo");
        info.put("RoomId", room.roomId());
        info.put("RoomName", room.roomName());
        info.put("RoomType", "Live");
        putOwner(info, room);
        info.put("CreateTime", room.createTimeSeconds());
        info.put("IsSeatEnabled", true);
        if (room.takeSeatModeAsInt()) {
            info.put("TakeSeatMode", 2);
        }
        else {
            info.put("TakeSeatMode", "ApplyToTake");
        }
        info.put("MaxSeatCount", 8);
        info.put("MaxMemberCount", room.maxMemberCount());
        info.put("IsMessageDisabled", false);
        info.put("CoverURL", room.coverUrl());
        room.category().forEach(info.putArray("Category")::add);
        info.put("ActivityStatus", room.activityStatus());
        info.put("ViewCount", room.viewCount());
        info.put("IsPublicVisible", true);
        return Reply.json(200, Json.write(body));
    }

    /** The page starting at {@code offset}, with the Next that leads to the following one. */
    static Reply memberPage(TencentRoom room, int offset, int pageSize) {
        // "When the room member count exceeds 1000, the interface only returns 1000 members", while MemberCount
        // stays the room's count (providers.md 9.3).
        List<String> members = room.members().subList(0, Math.min(room.members().size(), LISTED_AT_MOST));
        int end = Math.min(members.size(), offset + pageSize);
        ObjectNode body = envelope();
        ObjectNode response = body.putObject("Response");
        response.put("Next", end < members.size() ? nextToken(room.roomId(), end) : "");
        response.put("MemberCount", room.members().size());
        ArrayNode list = response.putArray("MemberList");
        members.subList(offset, end).forEach(member -> list.addObject().put("Member_Account", member));
        return Reply.json(200, Json.write(body));
    }

    /** Opaque to clients on purpose, so a client that builds its own cursor fails. */
    private static String nextToken(String roomId, int offset) {
        String plain = NEXT_PREFIX + offset + ":" + roomId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The member offset a Next value stands for, or -1 when it is not one this room handed out. */
    static int offsetOf(String next, TencentRoom room) {
        if (next.isEmpty()) {
            return 0;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8);
            if (!plain.startsWith(NEXT_PREFIX)) {
                return -1;
            }
            String[] parts = plain.substring(NEXT_PREFIX.length()).split(":", 2);
            if (parts.length != 2 || !parts[1].equals(room.roomId())) {
                return -1;
            }
            int offset = Integer.parseInt(parts[0]);
            return offset > 0 && offset <= room.members().size() ? offset : -1;
        }
        catch (IllegalArgumentException ex) {
            return -1;
        }
    }

    /**
     * The room-list page starting at {@code offset} of {@code rooms} (already in list order), with the Next that
     * leads to the following one, "" on the last page (providers.md 6.2: "When the Next field in the response body is
     * an empty string, it indicates that the pull is completed"). An offset past the end, after rooms closed, is an
     * empty last page.
     */
    static Reply roomListPage(List<TencentRoom> rooms, int offset, int count) {
        int start = Math.min(offset, rooms.size());
        int end = Math.min(rooms.size(), start + count);
        ObjectNode body = envelope();
        ObjectNode response = body.putObject("Response");
        response.put("Next", end < rooms.size() ? roomListNext(end) : "");
        ArrayNode list = response.putArray("RoomList");
        // providers.md 6.2: items carry only these eight fields; no member count, no seat or stream state.
        for (TencentRoom room : rooms.subList(start, end)) {
            ObjectNode item = list.addObject();
            item.put("RoomName", room.roomName());
            item.put("RoomId", room.roomId());
            putOwner(item, room);
            item.put("CoverURL", room.coverUrl());
            room.category().forEach(item.putArray("Category")::add);
            item.put("CreateTime", room.createTimeSeconds());
            item.put("ActivityStatus", room.activityStatus());
            item.put("ViewCount", room.viewCount());
        }
        return Reply.json(200, Json.write(body));
    }

    /**
     * The room-list Next for a list offset: opaque text (providers.md 6.2 only says to send back the previous
     * response's Next), so a client that builds its own cursor fails. The offset is a position in the list as it is
     * when the next call arrives, as the real server's paging is: rooms that open, close or move in ViewCount between
     * calls make later pages skip or repeat rooms. A checksum makes a garbled Next an unknown one, even when it
     * still decodes to some offset.
     */
    static String roomListNext(int offset) {
        String plain = LIST_NEXT_PREFIX + offset + ":" + checksum(offset);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String checksum(int offset) {
        CRC32 crc = new CRC32();
        crc.update((LIST_NEXT_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /** The list offset a room-list Next stands for: 0 for "", -1 when it is not one this emulator hands out. */
    static int roomListOffsetOf(String next) {
        if (next.isEmpty()) {
            return 0;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8);
            if (!plain.startsWith(LIST_NEXT_PREFIX)) {
                return -1;
            }
            int offset = parseOffset(plain);
            // Only the exact text it hands out: the checksum, and no other Base64 spelling of the same bytes.
            return next.equals(roomListNext(offset)) ? offset : -1;
        }
        catch (IllegalArgumentException ex) {
            return -1;
        }
    }

    private static int parseOffset(String plain) {
        String[] parts = plain.substring(LIST_NEXT_PREFIX.length()).split(":", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("no checksum: " + plain);
        }
        String digits = parts[0];
        if (!BARE_NUMBER.matcher(digits).matches()) {
            throw new IllegalArgumentException("not an offset: " + digits);
        }
        int offset = Integer.parseInt(digits);
        if (offset < 1) {
            throw new IllegalArgumentException("not a next offset: " + offset);
        }
        return offset;
    }

    private static void putOwner(ObjectNode node, TencentRoom room) {
        if (BARE_NUMBER.matcher(room.ownerAccount()).matches()) {
            // Tencent sends numeric accounts as bare numbers, even above 2^53; BigInteger keeps every digit.
            node.put("Owner_Account", new BigInteger(room.ownerAccount()));
        }
        else {
            node.put("Owner_Account", room.ownerAccount());
        }
    }

    static Reply failure(TencentError error) {
        ObjectNode body = Json.object();
        body.put("ActionStatus", "FAIL");
        body.put("ErrorInfo", error.info());
        body.put("ErrorCode", error.code());
        body.put("RequestId", requestId());
        return Reply.json(200, Json.write(body));
    }

    private static ObjectNode envelope() {
        ObjectNode body = Json.object();
        body.put("ActionStatus", "OK");
        body.put("ErrorInfo", "");
        body.put("ErrorCode", 0);
        body.put("RequestId", requestId());
        return body;
    }

    private static String requestId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return "Id-" + HexFormat.of().formatHex(id) + "-O-Seq-" + REQUEST_SEQ.incrementAndGet();
    }
}
