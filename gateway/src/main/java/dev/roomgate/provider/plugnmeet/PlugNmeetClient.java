package dev.roomgate.provider.plugnmeet;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.provider.ClientParts;
import dev.roomgate.provider.HttpFailures;
import dev.roomgate.provider.UpstreamReply;
import dev.roomgate.provider.WireJson;
import dev.roomgate.schema.ProviderStatus;

/**
 * plugNmeet: one signed {@code POST /auth/room/getActiveRoomInfo}. The server answers HTTP 200 for every outcome
 * (including "not found"), 401 only for authentication, so the verdict is in the body's {@code status} fields.
 */
public final class PlugNmeetClient implements ProviderClient {

    private static final Set<String> NOT_FOUND_CODES = Set.of("ROOM_NOT_FOUND", "ROOM_NOT_ACTIVE", "NOT_FOUND");

    // Servers before v2.1.7 send no status_code, only a message; these are the ones for a room that is not live, by
    // release (providers.md 8.2 and 9.4): "no room found" from v1.1.8 on, "room is not active" from v1.9.3,
    // "room not found in active state" from v2.2.0, "no active room found" from v2.1.7's listing.
    private static final Set<String> NOT_FOUND_MESSAGES = Set.of("no room found", "room is not active",
            "room not found in active state", "no active room found");

    // StatusCode enum names by number, for servers that send enums as numbers.
    private static final List<String> STATUS_CODES = List.of("UNKNOWN_STATUS", "SUCCESS", "PERMISSION_DENIED",
            "NOT_FOUND", "CONFLICT", "INVALID_TOKEN_OR_SIGNATURE", "INVALID_API_KEY", "INTERNAL_SERVER_ERROR",
            "INVALID_PARAMETERS", "MISSING_REQUIRED_PARAMETER", "ROOM_NOT_FOUND", "USER_NOT_FOUND", "USER_BLOCKED",
            "USER_NOT_ACTIVE", "ROOM_NOT_ACTIVE");

    private static final Set<String> AUTH_CODES = Set.of("INVALID_TOKEN_OR_SIGNATURE", "INVALID_API_KEY",
            "PERMISSION_DENIED");

    private final ClientParts parts;

    private final ProviderCredentials.PlugNmeet credentials;

    private final PlugNmeetMapper mapper;

    private final URI roomInfoUri;

    public PlugNmeetClient(ClientParts parts) {
        this.parts = parts;
        this.credentials = parts.credentials(ProviderCredentials.PlugNmeet.class);
        this.mapper = new PlugNmeetMapper(parts.json());
        this.roomInfoUri = URI.create(parts.instance().baseUrl() + "/auth/room/getActiveRoomInfo");
    }

    @Override
    public ProviderInstance instance() {
        return parts.instance();
    }

    @Override
    public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
        // The signature covers these exact bytes; they are sent as they are, never re-serialized.
        byte[] body = parts.json().writeValueAsBytes(Map.of("room_id", query.roomId()));
        String signature = PlugNmeetSigner.sign(credentials.apiSecret(), body);
        Mono<Outcome> attempt = parts.http().send(HttpMethod.POST, roomInfoUri, headers -> {
            headers.setContentType(MediaType.APPLICATION_JSON);
            headers.setAccept(List.of(MediaType.APPLICATION_JSON));
            headers.set("API-KEY", credentials.apiKey());
            headers.set("HASH-SIGNATURE", signature);
        }, body).map(reply -> interpret(reply, query));
        return parts.calls().call(budget, "getActiveRoomInfo", attempt);
    }

    private Outcome interpret(UpstreamReply reply, RoomQuery query) {
        if (!reply.isSuccessful()) {
            throw reply.status() == 401 ? authFailure(reply) : HttpFailures.classify(reply);
        }
        JsonNode answer = WireJson.parse(parts.json(), reply.body());
        Boolean ok = WireJson.flag(answer.get("status"));
        if (ok == null) {
            throw WireJson.invalid("plugNmeet answer has no status");
        }
        if (ok) {
            JsonNode room = answer.get("room");
            if (WireJson.isAbsent(room)) {
                throw WireJson.invalid("plugNmeet answer has status true but no room");
            }
            return new Outcome.Found(mapper.toRoom(parts.instance().name(), room, query.includeParticipants()));
        }
        return refusal(statusCode(answer.get("status_code")), WireJson.text(answer.get("msg")));
    }

    /** The status code's name; null when absent, empty or UNKNOWN_STATUS, so the message decides instead. */
    private static String statusCode(JsonNode node) {
        String code = WireJson.text(node);
        if (code != null && !code.isEmpty() && code.length() <= 3 && code.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(code);
            code = number < STATUS_CODES.size() ? STATUS_CODES.get(number) : code;
        }
        return code == null || code.isEmpty() || "UNKNOWN_STATUS".equals(code) ? null : code;
    }

    private static Outcome refusal(String statusCode, String message) {
        String msg = message == null ? "" : message.strip().toLowerCase(java.util.Locale.ROOT);
        if (statusCode != null ? NOT_FOUND_CODES.contains(statusCode) : NOT_FOUND_MESSAGES.contains(msg)) {
            return new Outcome.NotFound(statusCode != null ? statusCode : msg);
        }
        if (statusCode != null && AUTH_CODES.contains(statusCode)) {
            throw ProviderException.of(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED",
                    "plugNmeet rejected our credentials").answered(200, statusCode).build();
        }
        boolean internal = "INTERNAL_SERVER_ERROR".equals(statusCode);
        throw ProviderException.of(ProviderStatus.UPSTREAM_ERROR, internal ? "UPSTREAM_INTERNAL_ERROR"
                : "UPSTREAM_REJECTED", "plugNmeet refused the request")
            .answered(200, statusCode)
            .retryable(internal)
            .build();
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
