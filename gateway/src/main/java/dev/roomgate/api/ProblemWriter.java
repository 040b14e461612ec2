package dev.roomgate.api;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes every RFC 9457 problem answer, serialized once: for the web filters and the security chain straight to the
 * exchange, for the endpoints' handlers as their response. Either way the same bytes and headers.
 */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    /** Answers the exchange with a problem; for filters, which have no handler's response to return. */
    public Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String slug, String detail) {
        exchange.getResponse().getHeaders().setCacheControl("no-store");
        return PreparedBody.write(exchange.getResponse(), status.value(), MediaType.APPLICATION_PROBLEM_JSON,
                bytes(exchange, status, slug, detail));
    }

    /** A handler's problem answer. */
    Mono<ServerResponse> problem(ServerRequest request, HttpStatus status, String slug, String detail) {
        return PreparedBody.response(status.value(), MediaType.APPLICATION_PROBLEM_JSON,
                bytes(request.exchange(), status, slug, detail), headers -> headers.setCacheControl("no-store"));
    }

    /** A handler's problem answer with headers of its own ({@code Allow}, {@code Retry-After}). */
    Mono<ServerResponse> problem(ServerRequest request, HttpStatus status, String slug, String detail,
            Consumer<HttpHeaders> headers) {
        return PreparedBody.response(status.value(), MediaType.APPLICATION_PROBLEM_JSON,
                bytes(request.exchange(), status, slug, detail), all -> {
                    headers.accept(all);
                    all.setCacheControl("no-store");
                });
    }

    private byte[] bytes(ServerWebExchange exchange, HttpStatus status, String slug, String detail) {
        return json.writeValueAsBytes(Problem.of(status, slug, detail, RequestIdFilter.of(exchange)));
    }
}
