package dev.roomgate.provider.plugnmeet;

import java.net.URI;
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
        return refusal(WireJson.text(answer.get("status_code")), WireJson.text(answer.get("msg")));
    }

    private static Outcome refusal(String sentCode, String message) {
        String statusCode = PlugNmeetErrors.statusCode(sentCode);
        PlugNmeetErrors.Verdict verdict = PlugNmeetErrors.verdictOf(statusCode, message);
        if (verdict == PlugNmeetErrors.Verdict.NOT_FOUND) {
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
