package dev.roomgate.api;

import java.util.Optional;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.config.ApiKeys.Permission;

/** The checks every read-only /v1 endpoint makes first: the method, then the caller's permission. */
final class EndpointAccess {

    private EndpointAccess() {
    }

    /** The problem answer refusing this request, or empty when the endpoint may answer it. */
    static Optional<Mono<Void>> refusal(ServerWebExchange exchange, ProblemWriter writer, Permission needed,
            String forbidden) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            exchange.getResponse().getHeaders().setAllow(Set.of(HttpMethod.GET, HttpMethod.HEAD));
            return Optional.of(writer.problem(exchange, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    "this endpoint answers GET and HEAD only"));
        }
        if (!Caller.may(exchange, needed)) {
            return Optional.of(writer.problem(exchange, HttpStatus.FORBIDDEN, "forbidden", forbidden));
        }
        return Optional.empty();
    }
}
