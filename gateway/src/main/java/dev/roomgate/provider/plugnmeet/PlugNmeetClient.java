package dev.roomgate.provider.plugnmeet;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.provider.ClientParts;
import dev.roomgate.provider.FailureClass;
import dev.roomgate.provider.HttpFailures;
import dev.roomgate.provider.UpstreamReply;
import dev.roomgate.provider.WireJson;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.Room;

/**
 * plugNmeet: one signed {@code POST /auth/room/getActiveRoomInfo}. The server answers HTTP 200 for every outcome
 * (including "not found"), 401 only for authentication, so the verdict is in the body's {@code status} fields.
 */
public final class PlugNmeetClient implements ProviderClient {

    private static final byte[] LIST_BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final ClientParts parts;

    private final ProviderCredentials.PlugNmeet credentials;

    private final PlugNmeetMapper mapper;

    private final URI roomInfoUri;

    private final URI roomsInfoUri;

    public PlugNmeetClient(ClientParts parts) {
        this.parts = parts;
        this.credentials = parts.credentials(ProviderCredentials.PlugNmeet.class);
        this.mapper = new PlugNmeetMapper(parts.json());
        this.roomInfoUri = URI.create(parts.instance().baseUrl() + "/auth/room/getActiveRoomInfo");
        this.roomsInfoUri = URI.create(parts.instance().baseUrl() + "/auth/room/getActiveRoomsInfo");
    }

    @Override
    public ProviderInstance instance() {
        return parts.instance();
    }

    @Override
    public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
        // The signature covers these exact bytes; they are sent as they are, never re-serialized.
        byte[] body = parts.json().writeValueAsBytes(Map.of("room_id", query.roomId()));
        Mono<Outcome> attempt = signedPost(roomInfoUri, body).map(reply -> interpret(reply, query));
        return parts.calls().call(budget, "getActiveRoomInfo", attempt);
    }

    /**
     * {@code getActiveRoomsInfo}: one call, every running room with its participants, no paging (providers.md 6.1).
     * The server ignores the body; {@code {}} is sent and signed as those two bytes.
     */
    @Override
    public Mono<RoomListing> listRooms(CallBudget budget, ListingProgress progress) {
        Mono<RoomListing> attempt = signedPost(roomsInfoUri, LIST_BODY.clone()).map(this::interpretListing);
        return parts.calls().call(budget, "getActiveRoomsInfo", attempt);
    }

    /** One POST of exactly these bytes, signed over them. */
    private Mono<UpstreamReply> signedPost(URI uri, byte[] body) {
        String signature = PlugNmeetSigner.sign(credentials.apiSecret(), body);
        return parts.http().send(HttpMethod.POST, uri, headers -> {
            headers.setContentType(MediaType.APPLICATION_JSON);
            headers.setAccept(List.of(MediaType.APPLICATION_JSON));
            headers.set("API-KEY", credentials.apiKey());
            headers.set("HASH-SIGNATURE", signature);
        }, body);
    }

    /** The answer's body, once HTTP and its {@code status} say it is one; which way {@code status} went is its own. */
    private JsonNode answerOf(UpstreamReply reply) {
        if (!reply.isSuccessful()) {
            throw reply.status() == 401 ? authFailure(reply) : HttpFailures.classify(reply);
        }
        JsonNode answer = WireJson.parse(parts.json(), reply.body());
        if (WireJson.flag(answer.get("status")) == null) {
            throw WireJson.invalid("plugNmeet answer has no status");
        }
        return answer;
    }

    /**
     * Each room twice: as listed (no participant list), and whole, as {@code getActiveRoomInfo} would answer it,
     * which the room cache keeps. The listing is every running room (providers.md 6.1).
     */
    private RoomListing interpretListing(UpstreamReply reply) {
        JsonNode answer = answerOf(reply);
        if (!WireJson.flag(answer.get("status"))) {
            // "no active room found" (NOT_FOUND, ROOM_NOT_FOUND on v2.1.7, no code before) is an empty fleet;
            // any other refusal throws, classified as for one room.
            refusal(WireJson.text(answer.get("status_code")), WireJson.text(answer.get("msg")));
            return new RoomListing(List.of(), List.of(), true);
        }
        JsonNode rooms = answer.get("rooms");
        if (WireJson.isAbsent(rooms)) {
            return new RoomListing(List.of(), List.of(), true);
        }
        if (!rooms.isArray()) {
            throw WireJson.invalid("plugNmeet rooms is not an array");
        }
        Map<String, Room> listed = new LinkedHashMap<>();
        Map<String, Room> whole = new LinkedHashMap<>();
        for (JsonNode room : rooms.values()) {
            Room mapped = mapper.toRoom(parts.instance().name(), room, false);
            if (listed.putIfAbsent(mapped.roomId(), mapped) == null) {
                whole.put(mapped.roomId(), mapper.toRoom(parts.instance().name(), room, true));
            }
        }
        return new RoomListing(List.copyOf(listed.values()), List.copyOf(whole.values()), true);
    }

    private Outcome interpret(UpstreamReply reply, RoomQuery query) {
        JsonNode answer = answerOf(reply);
        if (WireJson.flag(answer.get("status"))) {
            JsonNode room = answer.get("room");
            if (WireJson.isAbsent(room)) {
                throw WireJson.invalid("plugNmeet answer has status true but no room");
            }
            return new Outcome.Found(mapper.toRoom(parts.instance().name(), room, query.includeParticipants()));
        }
        return refusal(WireJson.text(answer.get("status_code")), WireJson.text(answer.get("msg")));
    }

    private static Outcome refusal(String sentCode, String message) {
        String statusCode = PlugNmeetErrors.statusCode(sentCode);
        FailureClass verdict = PlugNmeetErrors.verdictOf(statusCode, message);
        if (verdict == FailureClass.NOT_FOUND) {
            return new Outcome.NotFound(statusCode != null ? statusCode : message.strip().toLowerCase(Locale.ROOT));
        }
        throw PlugNmeetErrors.failure(verdict, statusCode);
    }

    private ProviderException authFailure(UpstreamReply reply) {
        String code = null;
        try {
            code = WireJson.text(WireJson.parse(parts.json(), reply.body()).get("status_code"));
        }
        catch (ProviderException unreadable) {
            // A 401 is an authentication failure whatever its body says.
        }
        return ProviderException.of(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED",
                "plugNmeet rejected our credentials").answered(401, code).build();
    }
}
