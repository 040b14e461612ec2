package dev.roomgate.api;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.util.MultiValueMap;

import dev.roomgate.fleet.FleetAggregator;
import dev.roomgate.fleet.FleetCursor;
import dev.roomgate.fleet.FleetQuery;

/**
 * Validates a fleet request ({@code GET /v1/rooms}, contract 2.1) completely before any listing is read: unknown
 * or repeated parameters, bad values and cursors this gateway did not write are 400s. Details never echo input.
 */
final class FleetRequestParser {

    private static final Set<String> PARAMETERS = Set.of("providers", "limit", "cursor", "recording", "streaming",
            "minParticipants");

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,7}");

    private static final int MAX_MIN_PARTICIPANTS = 1_000_000;

    private final RoomRequestParser rooms;

    private final FleetAggregator fleet;

    private final FleetCursor cursors;

    FleetRequestParser(RoomRequestParser rooms, FleetAggregator fleet, FleetCursor cursors) {
        this.rooms = rooms;
        this.fleet = fleet;
        this.cursors = cursors;
    }

    /** @param askedAtNanos when the request came in, on the ticker */
    FleetQuery parse(MultiValueMap<String, String> query, List<String> accept, boolean fresh, long askedAtNanos) {
        RoomRequestParser.checkAcceptable(accept);
        RoomRequestParser.checkParameters(query, PARAMETERS,
                "providers, limit, cursor, recording, streaming and minParticipants");
        int limit = limit(query.getFirst("limit"));
        FleetCursor.Position after = cursor(query.getFirst("cursor"));
        return new FleetQuery(rooms.providers(query.getFirst("providers")), limit, after,
                flag("recording", query.getFirst("recording")), flag("streaming", query.getFirst("streaming")),
                minParticipants(query.getFirst("minParticipants")), fresh, askedAtNanos);
    }

    private static int limit(String value) {
        if (value == null) {
            return FleetQuery.DEFAULT_LIMIT;
        }
        if (!DIGITS.matcher(value).matches() || Integer.parseInt(value) < 1
                || Integer.parseInt(value) > FleetQuery.MAX_LIMIT) {
            throw RejectedRequest.badRequest("invalid-parameter",
                    "limit must be an integer from 1 to " + FleetQuery.MAX_LIMIT);
        }
        return Integer.parseInt(value);
    }

    private static Integer minParticipants(String value) {
        if (value == null) {
            return null;
        }
        if (!DIGITS.matcher(value).matches() || Integer.parseInt(value) > MAX_MIN_PARTICIPANTS) {
            throw RejectedRequest.badRequest("invalid-parameter",
                    "minParticipants must be an integer from 0 to " + MAX_MIN_PARTICIPANTS);
        }
        return Integer.parseInt(value);
    }

    private static Boolean flag(String name, String value) {
        if (value == null) {
            return null;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.valueOf(value);
        }
        throw RejectedRequest.badRequest("invalid-parameter", name + " must be true or false");
    }

    private FleetCursor.Position cursor(String value) {
        if (value == null) {
            return null;
        }
        try {
            FleetCursor.Position position = cursors.read(value);
            if (fleet.knows(position)) {
                return position;
            }
        }
        catch (FleetCursor.Invalid invalid) {
            // Told below, in the same words as a cursor for an instance no longer configured.
        }
        throw RejectedRequest.badRequest("invalid-cursor",
                "cursor must be a nextCursor this gateway returned, unchanged");
    }
}
