package dev.roomgate.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.aggregate.ProviderResult;
import dev.roomgate.aggregate.RoomAggregator;
import dev.roomgate.aggregate.RoomAnswer;
import dev.roomgate.aggregate.RoomDocument;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.observability.AnswerMeters;

/**
 * The end of the {@code rooms} route: validates the request, fans out, and writes the aggregated document. It
 * answers the exchange itself, so the route has no upstream of its own.
 */
final class RoomAnswerFilter implements GatewayFilter {

    static final String PATH_PREFIX = "/v1/rooms/";

    static final String COMPLETE_HEADER = "X-Aggregation-Complete";

    /** Exchange attribute: what the access log says about a room answer. */
    static final String SUMMARY = RoomAnswerFilter.class.getName() + ".summary";

    /** @param providers every selected instance's status, as {@code name:status,...} */
    record Summary(boolean complete, String providers) {
    }

    private static final List<String> VARY = List.of(ApiKeyAuthentication.HEADER, HttpHeaders.AUTHORIZATION);

    private final RoomRequestParser parser;

    private final RoomAggregator aggregator;

    private final ProblemWriter writer;

    private final AnswerMeters meters;

    private final RoomDocumentJson documents;

    RoomAnswerFilter(RoomRequestParser parser, RoomAggregator aggregator, ProblemWriter writer, AnswerMeters meters,
            RoomDocumentJson documents) {
        this.parser = parser;
        this.aggregator = aggregator;
        this.writer = writer;
        this.meters = meters;
        this.documents = documents;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long started = System.nanoTime();
        ServerHttpRequest request = exchange.getRequest();
        Optional<Mono<Void>> refused = EndpointAccess.refusal(exchange, writer, Permission.ROOMS,
                "this API key may not read rooms");
        if (refused.isPresent()) {
            return refused.get();
        }
        RoomRequest room;
        try {
            String rawSegment = request.getPath().pathWithinApplication().value().substring(PATH_PREFIX.length());
            List<String> accept = request.getHeaders().getOrEmpty(HttpHeaders.ACCEPT);
            room = parser.parse(rawSegment, request.getQueryParams(), accept);
        }
        catch (RejectedRequest rejected) {
            return writer.problem(exchange, rejected.status(), rejected.slug(), rejected.getMessage());
        }
        boolean noCache = asksForFreshAnswer(request.getHeaders());
        // Personal data is decided before fetching: a caller who may not see participants causes no participant
        // listing call upstream at all, whatever participants= it sent.
        boolean participants = Caller.may(exchange, Permission.PARTICIPANTS);
        RoomQuery query = participants ? room.query() : new RoomQuery(room.query().roomId(), false);
        return aggregator.aggregate(query, room.providers(), noCache).flatMap(answer -> {
            meters.answered(answer.document(), Duration.ofNanos(System.nanoTime() - started));
            return answer(exchange, answer);
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

    private Mono<Void> answer(ServerWebExchange exchange, RoomAnswer answer) {
        // Personal data by permission: the room, its counts and statuses, but no participant list and no owner.
        boolean participants = Caller.may(exchange, Permission.PARTICIPANTS);
        // Withholding participants changes neither completeness, statuses nor the HTTP status.
        RoomDocument document = answer.document();
        exchange.getAttributes().put(SUMMARY, new Summary(document.complete(), statuses(document)));
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(COMPLETE_HEADER, Boolean.toString(document.complete()));
        // Personal data: only the client itself may keep it, and only as long as its least fresh part is fresh.
        headers.setCacheControl("private, max-age=" + answer.maxAge().toSeconds());
        // What an answer holds depends on who asked (their permissions), so no shared cache may serve it to another.
        headers.setVary(VARY);
        headers.set(HttpHeaders.AGE, Long.toString(answer.age().toSeconds()));
        return writer.write(exchange, document.httpStatus(), MediaType.APPLICATION_JSON,
                documents.write(document, participants));
    }

    /** Every selected instance's status, as {@code name:status,...}. */
    private static String statuses(RoomDocument document) {
        StringBuilder providers = new StringBuilder(64);
        for (ProviderResult result : document.providers()) {
            if (!providers.isEmpty()) {
                providers.append(',');
            }
            providers.append(result.provider()).append(':').append(result.status().wireName());
        }
        return providers.toString();
    }
}
