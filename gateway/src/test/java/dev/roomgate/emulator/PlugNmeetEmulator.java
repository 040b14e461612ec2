package dev.roomgate.emulator;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;

/**
 * Emulates a plugNmeet server's {@code /auth/room/getActiveRoomInfo} and {@code /auth/room/getActiveRoomsInfo},
 * including its API-KEY / HASH-SIGNATURE check (providers.md 1.2). API names: {@value #ROOM_INFO},
 * {@value #ROOMS_INFO}.
 */
public final class PlugNmeetEmulator extends ProviderEmulator<PlugNmeetEmulator> {

    public static final String ROOM_INFO = "getActiveRoomInfo";

    public static final String ROOMS_INFO = "getActiveRoomsInfo";

    private static final String PATH_PREFIX = "/auth/room/";

    private final String apiKey;

    private final String apiSecret;

    private final Map<String, PlugNmeetRoom> rooms = new ConcurrentHashMap<>();

    private volatile boolean extraSpaceAfterComma;

    private volatile boolean legacyMode;

    private volatile boolean participantListingFails;

    public PlugNmeetEmulator(String apiKey, String apiSecret) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.apiSecret = Objects.requireNonNull(apiSecret, "apiSecret");
    }

    public PlugNmeetEmulator addRoom(PlugNmeetRoom room) {
        rooms.put(room.roomId(), room);
        return this;
    }

    public void removeRoom(String roomId) {
        rooms.remove(roomId);
    }

    /** The room as it is now, if the server has it. */
    public java.util.Optional<PlugNmeetRoom> room(String roomId) {
        return java.util.Optional.ofNullable(rooms.get(roomId));
    }

    /** Emit one extra space after every comma, as some protobuf-go builds do. */
    public PlugNmeetEmulator extraSpaceAfterComma(boolean on) {
        this.extraSpaceAfterComma = on;
        return this;
    }

    /**
     * Behave like a server from v1.9.3 to v2.1.6: no {@code status_code}, no {@code joined_at_ms}, and a room that
     * is not live is told by message alone (providers.md 8.2, from S1h pkg/models/room_info.go of those releases).
     */
    public PlugNmeetEmulator legacyMode(boolean on) {
        this.legacyMode = on;
        return this;
    }

    /** LiveKit's participant listing fails: rooms answer with an empty participant list (providers.md 8.2). */
    public PlugNmeetEmulator participantListingFails(boolean on) {
        this.participantListingFails = on;
        return this;
    }

    @Override
    String apiName(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals(PATH_PREFIX + ROOM_INFO)) {
            return ROOM_INFO;
        }
        return path.equals(PATH_PREFIX + ROOMS_INFO) ? ROOMS_INFO : null;
    }

    @Override
    Reply handle(RecordedRequest request) {
        String api = apiName(request);
        if (api == null) {
            return Reply.text(404, "not found");
        }
        if (!"POST".equals(request.getMethod())) {
            return Reply.text(405, "Method Not Allowed");
        }
        PlugNmeetReplies replies = new PlugNmeetReplies(legacyMode, extraSpaceAfterComma, participantListingFails);
        Reply authFailure = checkAuth(request, replies);
        if (authFailure != null) {
            return authFailure;
        }
        return api.equals(ROOM_INFO) ? roomInfo(bodyOf(request), replies) : replies.rooms(activeRooms());
    }

    /** HandleAuthHeaderCheck: key, then signature over the exact body bytes, compared in constant time. */
    private Reply checkAuth(RecordedRequest request, PlugNmeetReplies replies) {
        String key = header(request, "API-KEY");
        String signature = header(request, "HASH-SIGNATURE");
        if (key.isEmpty()) {
            return replies.common(401, false, "Missing API-KEY header.", "MISSING_REQUIRED_PARAMETER");
        }
        if (!key.equals(apiKey)) {
            return replies.common(401, false, "Invalid API key provided.", "INVALID_API_KEY");
        }
        if (signature.isEmpty()) {
            return replies.common(401, false, "Missing HASH-SIGNATURE header.", "MISSING_REQUIRED_PARAMETER");
        }
        String expected = HexFormat.of().formatHex(Crypto.hmacSha256(apiSecret, bodyBytesOf(request)));
        if (!Crypto.constantTimeEquals(expected, signature)) {
            return replies.common(401, false, "Failed to verify provided authentication details.",
                    "INVALID_TOKEN_OR_SIGNATURE");
        }
        return null;
    }

    private Reply roomInfo(String body, PlugNmeetReplies replies) {
        JsonNode request = Json.parseOrNull(body);
        if (request == null || !request.isObject()) {
            return replies.common(200, false, "proto: syntax error (line 1:1): unexpected token",
                    "INVALID_PARAMETERS");
        }
        // protojson accepts the proto name and the lowerCamel JSON name alike.
        JsonNode roomIdNode = request.has("room_id") ? request.get("room_id") : request.get("roomId");
        if (roomIdNode != null && !roomIdNode.isString() && !roomIdNode.isNull()) {
            return replies.common(200, false,
                    "proto: (line 1:1): invalid value for string field room_id: " + roomIdNode, "INVALID_PARAMETERS");
        }
        String roomId = roomIdNode == null || roomIdNode.isNull() ? "" : roomIdNode.stringValue();
        if (roomId.isEmpty()) {
            return replies.common(200, false, "validation error: room_id: value is required", "INVALID_PARAMETERS");
        }
        PlugNmeetRoom room = rooms.get(roomId);
        // v2.2.0 and later; a legacy server's messages are those of v1.9.3 to v2.1.6 (providers.md 8.2).
        if (room == null) {
            return replies.roomFailure(legacyMode ? "no room found" : "room not found in active state",
                    "ROOM_NOT_FOUND");
        }
        if (!room.running()) {
            return replies.roomFailure("room is not active", "ROOM_NOT_ACTIVE");
        }
        return replies.room(room);
    }

    private List<PlugNmeetRoom> activeRooms() {
        return rooms.values()
            .stream()
            .filter(PlugNmeetRoom::running)
            .sorted(Comparator.comparing(PlugNmeetRoom::roomId))
            .toList();
    }

    private static String header(RecordedRequest request, String name) {
        String value = request.getHeaders().get(name);
        return value == null ? "" : value;
    }
}
