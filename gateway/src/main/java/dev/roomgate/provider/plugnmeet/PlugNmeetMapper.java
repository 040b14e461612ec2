package dev.roomgate.provider.plugnmeet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;

import static dev.roomgate.provider.WireJson.count;
import static dev.roomgate.provider.WireJson.epochMillis;
import static dev.roomgate.provider.WireJson.epochSeconds;
import static dev.roomgate.provider.WireJson.allowedFields;
import static dev.roomgate.provider.WireJson.flag;
import static dev.roomgate.provider.WireJson.invalid;
import static dev.roomgate.provider.WireJson.isAbsent;
import static dev.roomgate.provider.WireJson.text;

/** Maps plugNmeet's {@code getActiveRoomInfo} room (protojson: int64 as strings, flags as 0/1) to the schema. */
public final class PlugNmeetMapper {

    private static final Set<String> STATES = Set.of("joining", "joined", "active", "disconnected");

    private static final Set<String> BOT_IDENTITIES = Set.of("RECORDER_BOT", "RTMP_BOT");

    private static final List<String> STATE_NUMBERS = List.of("joining", "joined", "active", "disconnected");

    // The server builds the list through a Go map, so its order is random; a stable order makes answers comparable.
    private static final Comparator<Participant> STABLE_ORDER = Comparator
        .comparing(Participant::joinedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
        .thenComparing(Participant::id, Comparator.nullsLast(Comparator.<String>naturalOrder()));

    /**
     * Room fields copied into {@code extensions}, and why each is safe: both are structural flags of plugNmeet's
     * breakout rooms (on the wire, undocumented by plugNmeet, providers.md 1.x), no person's data. Everything else
     * in {@code room_info} (e.g. {@code webhook_url}, a secret of the operator's setup) stays out.
     */
    static final Set<String> ROOM_EXTENSIONS = Set.of("is_breakout_room", "parent_room_id");

    /**
     * LiveKit {@code ParticipantInfo} fields copied into a participant's {@code extensions} (providers.md 1.4):
     * {@code kind} (standard, ingress, SIP, agent…) and {@code is_publisher} say what the connection is;
     * {@code region} is the LiveKit node's region, not the person's location; {@code permission} is what the
     * room's grant allows, with only its documented flags. Left out: {@code attributes} (key/values the
     * application or the user set: user metadata, anything can be in it), {@code tracks}, {@code version},
     * {@code disconnect_reason} and whatever a newer server adds.
     */
    static final Set<String> PARTICIPANT_EXTENSIONS = Set.of("kind", "is_publisher", "region", "permission",
            "permission.can_subscribe", "permission.can_publish", "permission.can_publish_data",
            "permission.can_publish_sources", "permission.hidden", "permission.recorder",
            "permission.can_update_metadata", "permission.agent", "permission.can_subscribe_metrics",
            "permission.can_manage_agent_session");

    private final JsonMapper mapper;

    public PlugNmeetMapper(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** @param room the {@code room} object of a successful answer */
    public Room toRoom(String instanceName, JsonNode room, boolean includeParticipants) {
        JsonNode info = room.path("room_info");
        if (isAbsent(info) || !info.isObject()) {
            throw invalid("plugNmeet answer has no room_info");
        }
        String roomId = text(info.get("room_id"));
        if (roomId == null || roomId.isEmpty()) {
            throw invalid("plugNmeet answer has no room_id");
        }
        List<Participant> participants = participants(room.path("participants_info"));
        Integer joined = count(info.get("joined_participants"));
        Boolean running = flag(info.get("is_running"));
        return new Room(instanceName, ProviderType.PLUGNMEET, roomId, emptyToNull(text(info.get("sid"))),
                emptyToNull(text(info.get("room_title"))), running == null || running,
                flag(info.get("is_recording")), flag(info.get("is_active_rtmp")),
                epochSeconds(info.get("creation_time")), joined != null ? joined : participants.size(), null, null,
                text(info.get("metadata")), includeParticipants ? participants : null,
                // An empty list beside a positive count: LiveKit's listing failed (providers.md 8.2).
                Room.listsAll(participants, joined), roomExtensions(info));
    }

    private List<Participant> participants(JsonNode list) {
        if (isAbsent(list)) {
            return List.of();
        }
        if (!list.isArray()) {
            throw invalid("plugNmeet participants_info is not an array");
        }
        List<Participant> participants = new ArrayList<>();
        for (JsonNode participant : list.values()) {
            participants.add(toParticipant(participant));
        }
        participants.sort(STABLE_ORDER);
        return participants;
    }

    Participant toParticipant(JsonNode p) {
        String identity = text(p.get("identity"));
        if (identity == null) {
            throw invalid("plugNmeet participant has no identity");
        }
        Instant joinedAt = epochMillis(p.get("joined_at_ms"));
        if (joinedAt == null) {
            joinedAt = epochSeconds(p.get("joined_at"));
        }
        String metadata = text(p.get("metadata"));
        Map<String, Object> extensions = allowedFields(p, PARTICIPANT_EXTENSIONS);
        String role = isBot(identity, p.path("permission")) ? "recorder" : role(metadata);
        return new Participant(identity, emptyToNull(text(p.get("name"))), emptyToNull(text(p.get("sid"))),
                state(p.get("state")), joinedAt, role, PlugNmeetTracks.media(p.get("tracks")), metadata, extensions);
    }

    /**
     * plugNmeet's recorder and RTMP streamer join under fixed identities with a hidden admin grant (providers.md
     * 9.1); whether LiveKit lists hidden participants at all is unconfirmed, so any hidden one counts as a bot.
     */
    private static boolean isBot(String identity, JsonNode permission) {
        JsonNode hidden = permission.get("hidden");
        return BOT_IDENTITIES.contains(identity) || hidden != null && hidden.isBoolean() && hidden.booleanValue();
    }

    /** {@code admin} when the user metadata says so, {@code participant} when it parses without that, else null. */
    String role(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return null;
        }
        try {
            JsonNode parsed = mapper.readTree(metadata);
            if (parsed == null || !parsed.isObject()) {
                return null;
            }
            JsonNode admin = parsed.get("is_admin");
            return admin != null && admin.isBoolean() && admin.booleanValue() ? "admin" : "participant";
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private static String state(JsonNode state) {
        if (isAbsent(state)) {
            return "unknown";
        }
        if (state.isIntegralNumber()) {
            int ordinal = state.asInt();
            return ordinal >= 0 && ordinal < STATE_NUMBERS.size() ? STATE_NUMBERS.get(ordinal) : "unknown";
        }
        String name = state.asString().toLowerCase(Locale.ROOT);
        return STATES.contains(name) ? name : "unknown";
    }

    /** {@link #ROOM_EXTENSIONS} only, in one type each (the flag is 0/1 or a boolean on the wire). */
    private static Map<String, Object> roomExtensions(JsonNode info) {
        Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        Boolean breakout = flag(info.get("is_breakout_room"));
        if (breakout != null) {
            extensions.put("is_breakout_room", breakout);
        }
        String parent = emptyToNull(text(info.get("parent_room_id")));
        if (parent != null) {
            extensions.put("parent_room_id", parent);
        }
        return extensions;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
