package dev.roomgate.api;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.watch.RoomWatches;
import dev.roomgate.watch.WatchEvent;
import dev.roomgate.watch.WatchKey;

/**
 * {@code GET /v1/rooms/{roomId}/events}: one room as a stream of changes (contract 2.3), with the room endpoint's
 * query parameters and permissions. A caller who may not see participants watches a loop that never lists them.
 */
record WatchHandler(RoomRequestParser parser, RoomWatches watches, ProblemWriter problems) {

    static final String SUFFIX = "/events";

    /** The route: a single segment between the room prefix and the suffix, so an id never has a slash. */
    static final String PATTERN = RoomHandler.PATH_PREFIX + "*" + SUFFIX;

    static final String LAST_EVENT_ID = "Last-Event-ID";

    Mono<ServerResponse> watch(ServerRequest request) {
        Optional<Mono<ServerResponse>> refused = EndpointAccess.refusal(request, problems, Permission.ROOMS,
                "this API key may not read rooms");
        if (refused.isPresent()) {
            return refused.get();
        }
        RoomRequest room;
        try {
            String path = request.requestPath().pathWithinApplication().value();
            String rawSegment = path.substring(RoomHandler.PATH_PREFIX.length(), path.length() - SUFFIX.length());
            room = parser.parse(rawSegment, request.queryParams(), request.headers().header(HttpHeaders.ACCEPT),
                    MediaType.TEXT_EVENT_STREAM);
        }
        catch (RejectedRequest rejected) {
            return problems.problem(request, rejected.status(), rejected.slug(), rejected.getMessage());
        }
        boolean participants = room.query().includeParticipants()
                && Caller.may(request.exchange(), Permission.PARTICIPANTS);
        WatchKey key = new WatchKey(room.query().roomId(),
                room.providers().stream().map(client -> client.instance().name()).toList(), participants);
        Flux<WatchEvent> events;
        try {
            events = watches.watch(key, lastEventId(request.headers().header(LAST_EVENT_ID)));
        }
        catch (RoomWatches.TooManyStreams full) {
            return problems.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", full.getMessage(),
                    headers -> headers.set(HttpHeaders.RETRY_AFTER, "5"));
        }
        return ServerResponse.ok()
            .contentType(MediaType.TEXT_EVENT_STREAM)
            .headers(headers -> {
                headers.setCacheControl("no-store");
                // Proxies that buffer answers (nginx) would hold the events back.
                headers.set("X-Accel-Buffering", "no");
            })
            .body(BodyInserters.fromServerSentEvents(EventStream.of(events)));
    }

    /** The id a reconnecting client last saw; anything else (absent, not ours) asks for a new snapshot. */
    static Long lastEventId(List<String> values) {
        if (values.size() != 1) {
            return null;
        }
        try {
            return Long.parseLong(values.get(0).strip());
        }
        catch (NumberFormatException notOurs) {
            return null;
        }
    }
}
