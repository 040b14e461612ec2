package dev.roomgate.api;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/** Writes problem answers and JSON documents straight to the response, serialized once. */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    JsonMapper json() {
        return json;
    }

    public Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String slug, String detail) {
        Problem problem = Problem.of(status, slug, detail, RequestIdFilter.of(exchange));
        exchange.getResponse().getHeaders().setCacheControl("no-store");
        return write(exchange, status.value(), MediaType.APPLICATION_PROBLEM_JSON, problem);
    }

    public Mono<Void> write(ServerWebExchange exchange, int status, MediaType type, Object body) {
        return write(exchange, status, type, json.writeValueAsBytes(body));
    }

    /** Writes a body that is already serialized. */
    Mono<Void> write(ServerWebExchange exchange, int status, MediaType type, byte[] bytes) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(status));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(type);
        headers.setContentLength(bytes.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }
}
