package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriUtils;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.provider.ProviderClients;

/**
 * Validates a room request completely before anything else happens. Works on the raw path segment, decoded exactly
 * once, so that encoded slashes, matrix parameters and double encoding are all refused rather than normalized.
 * Details name the rule that was broken and never echo the input.
 */
final class RoomRequestParser {

    static final Pattern ROOM_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$");

    private static final Set<String> PARAMETERS = Set.of("providers", "participants");

    // Longer than any valid id can be even fully percent-encoded; refused before decoding.
    private static final int MAX_RAW_SEGMENT = 128 * 3;

    private final ProviderClients clients;

    RoomRequestParser(ProviderClients clients) {
        this.clients = clients;
    }

    RoomRequest parse(String rawRoomSegment, MultiValueMap<String, String> query, List<String> accept) {
        return parse(rawRoomSegment, query, accept, MediaType.APPLICATION_JSON);
    }

    /** @param answered what the endpoint answers: the Accept header must allow it (or a problem) */
    RoomRequest parse(String rawRoomSegment, MultiValueMap<String, String> query, List<String> accept,
            MediaType answered) {
        checkAcceptable(accept, answered);
        String roomId = roomId(rawRoomSegment);
        checkParameters(query);
        boolean participants = participants(query.getFirst("participants"));
        List<ProviderClient> providers = providers(query.getFirst("providers"));
        return new RoomRequest(new RoomQuery(roomId, participants), providers);
    }

    private static String roomId(String raw) {
        if (raw.length() > MAX_RAW_SEGMENT) {
            throw invalidRoomId();
        }
        String decoded;
        try {
            decoded = UriUtils.decode(raw, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException malformedEscape) {
            throw invalidRoomId();
        }
        if (!ROOM_ID.matcher(decoded).matches()) {
            throw invalidRoomId();
        }
        return decoded;
    }

    private static RejectedRequest invalidRoomId() {
        return RejectedRequest.badRequest("invalid-room-id",
                "roomId must match " + ROOM_ID.pattern() + " (ASCII letters, digits and . _ : @ -, at most 128)");
    }

    private static void checkParameters(MultiValueMap<String, String> query) {
        checkParameters(query, PARAMETERS, "providers and participants");
    }

    /**
     * Only the endpoint's own parameters, each once.
     *
     * @param named the accepted parameters as the problem names them
     */
    static void checkParameters(MultiValueMap<String, String> query, Set<String> accepted, String named) {
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (!accepted.contains(parameter.getKey())) {
                throw RejectedRequest.badRequest("unknown-parameter",
                        "only the query parameters " + named + " are accepted");
            }
            if (parameter.getValue().size() > 1) {
                throw RejectedRequest.badRequest("duplicate-parameter",
                        "query parameter " + parameter.getKey() + " may appear only once");
            }
        }
    }

    private static boolean participants(String value) {
        if (value == null || "true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw RejectedRequest.badRequest("invalid-parameter", "participants must be true or false");
    }

    List<ProviderClient> providers(String value) {
        if (value == null) {
            return clients.enabled();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : value.split(",", -1)) {
            if (!names.add(name)) {
                throw RejectedRequest.badRequest("duplicate-parameter", "each provider may be named only once");
            }
            if (clients.enabled(name).isEmpty()) {
                throw RejectedRequest.badRequest("unknown-provider",
                        "providers must name enabled provider instances: " + String.join(", ", enabledNames()));
            }
        }
        // Answers list instances in configured order, whatever order the client named them in.
        List<ProviderClient> selected = new ArrayList<>();
        clients.enabled().stream().filter(client -> names.contains(client.instance().name())).forEach(selected::add);
        return selected;
    }

    private List<String> enabledNames() {
        return clients.enabled().stream().map(client -> client.instance().name()).toList();
    }

    static void checkAcceptable(List<String> accept) {
        checkAcceptable(accept, MediaType.APPLICATION_JSON);
    }

    static void checkAcceptable(List<String> accept, MediaType answered) {
        if (accept.isEmpty()) {
            return;
        }
        try {
            List<MediaType> types = MediaType.parseMediaTypes(accept);
            boolean acceptable = types.stream().anyMatch(type -> type.isCompatibleWith(answered)
                    || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
            if (!acceptable) {
                throw new RejectedRequest(HttpStatus.NOT_ACCEPTABLE, "not-acceptable",
                        "this endpoint answers " + answered + " only");
            }
        }
        catch (InvalidMediaTypeException ex) {
            throw RejectedRequest.badRequest("invalid-header", "the Accept header is not a valid media type list");
        }
    }
}
