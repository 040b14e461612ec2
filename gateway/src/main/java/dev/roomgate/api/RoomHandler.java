package dev.roomgate.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.aggregate.RoomAggregator;
import dev.roomgate.aggregate.RoomAnswer;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.RoomDocument;

/** {@code GET /v1/rooms/{roomId}}: validates the request, fans out, and answers with the aggregated document. */
record RoomHandler(RoomRequestParser parser, RoomAggregator aggregator, ProblemWriter problems,
        DocumentWriter documents, AnswerMeters meters, Ticker ticker) {

    static final String PATH_PREFIX = "/v1/rooms/";

    static final String COMPLETE_HEADER = "X-Aggregation-Complete";

    /** Exchange attribute: what the access log says about a room answer. */
    static final String SUMMARY = RoomHandler.class.getName() + ".summary";

    /** @param providers every selected instance's status, as {@code name:status,...} */
    record Summary(boolean complete, String providers) {
    }

    private static final List<String> VARY = List.of(ApiKeyAuthentication.HEADER, HttpHeaders.AUTHORIZATION);

    Mono<ServerResponse> answer(ServerRequest request) {
        long started = ticker.nanoTime();
        Optional<Mono<ServerResponse>> refused = EndpointAccess.refusal(request, problems, Permission.ROOMS,
                "this API key may not read rooms");
        if (refused.isPresent()) {
            return refused.get();
        }
        RoomRequest room;
        Duration clientTimeout;
        try {
            // The raw segment, not a decoded path variable: the parser decodes it exactly once, and refuses what
            // routing would have normalized away (encoded slashes, matrix parameters, double encoding).
            String rawSegment = request.requestPath().pathWithinApplication().value().substring(PATH_PREFIX.length());
            room = parser.parse(rawSegment, request.queryParams(), request.headers().header(HttpHeaders.ACCEPT));
            clientTimeout = RequestTimeout.parse(request.headers().asHttpHeaders());
        }
        catch (RejectedRequest rejected) {
            return problems.problem(request, rejected.status(), rejected.slug(), rejected.getMessage());
        }
        boolean noCache = asksForFreshAnswer(request.headers().asHttpHeaders());
        // Personal data is decided before fetching: a caller who may not see participants causes no participant
        // listing call upstream at all, whatever participants= it sent.
        boolean participants = Caller.may(request.exchange(), Permission.PARTICIPANTS);
        RoomQuery query = participants ? room.query() : new RoomQuery(room.query().roomId(), false);
        Caller caller = Caller.of(request.exchange());
        QuotaClaim claim = caller == null ? QuotaClaim.DEFAULT : caller.claim();
        return aggregator.aggregate(query, room.providers(), noCache, claim, clientTimeout).flatMap(answer -> {
            meters.answered(answer.document(), Duration.ofNanos(ticker.nanoTime() - started));
            return respond(request.exchange(), answer, participants);
        });
    }

    /** {@code Cache-Control: no-cache} (or the HTTP/1.0 {@code Pragma: no-cache}) asks for a fresh lookup. */
    static boolean asksForFreshAnswer(HttpHeaders headers) {
        if (!headers.containsHeader(HttpHeaders.CACHE_CONTROL) && !headers.containsHeader(HttpHeaders.PRAGMA)) {
            return false;
        }
        List<String> directives = new ArrayList<>(headers.getOrEmpty(HttpHeaders.CACHE_CONTROL));
        directives.addAll(headers.getOrEmpty(HttpHeaders.PRAGMA));
        return directives.stream()
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(directive -> directive.strip().toLowerCase(Locale.ROOT))
            .anyMatch(directive -> directive.equals("no-cache") || directive.startsWith("max-age=0"));
    }

    /**
     * Personal data by permission: without it, the room, its counts and statuses, but no participant list and no
     * owner. Withholding participants changes neither completeness, statuses nor the HTTP status.
     */
    private Mono<ServerResponse> respond(ServerWebExchange exchange, RoomAnswer answer, boolean participants) {
        RoomDocument document = answer.document();
        exchange.getAttributes().put(SUMMARY, new Summary(document.complete(), statuses(document.providers())));
        return documents.room(document, participants,
                exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.IF_NONE_MATCH), headers -> {
            headers.set(COMPLETE_HEADER, Boolean.toString(document.complete()));
            // Personal data: only the client itself may keep it, and only as long as its least fresh part is fresh.
            headers.setCacheControl("private, max-age=" + answer.maxAge().toSeconds());
            // What an answer holds depends on who asked (their permissions), so no shared cache may serve it to
            // another.
            headers.setVary(VARY);
            headers.set(HttpHeaders.AGE, Long.toString(answer.age().toSeconds()));
        });
    }

    /** Every selected instance's status, as {@code name:status,...}: for the access log of either endpoint. */
    static String statuses(List<ProviderResult> results) {
        StringBuilder providers = new StringBuilder(64);
        for (ProviderResult result : results) {
            if (!providers.isEmpty()) {
                providers.append(',');
            }
            providers.append(result.provider()).append(':').append(result.status().wireName());
        }
        return providers.toString();
    }
}
