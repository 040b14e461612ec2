package dev.roomgate.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.config.ApiKeys.Permission;

/** The checks every read-only /v1 endpoint makes first: the method, then the caller's permission. */
final class EndpointAccess {

    // In this order on every answer (Set.of would iterate in a different order in each JVM).
    private static final Set<HttpMethod> ALLOWED = new LinkedHashSet<>(List.of(HttpMethod.GET, HttpMethod.HEAD));

    private EndpointAccess() {
    }

    /** The problem answer refusing this request, or empty when the endpoint may answer it. */
    static Optional<Mono<ServerResponse>> refusal(ServerRequest request, ProblemWriter writer, Permission needed,
            String forbidden) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return Optional.of(writer.problem(request, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    "this endpoint answers GET and HEAD only",
                    headers -> headers.setAllow(ALLOWED)));
        }
        if (!Caller.may(request.exchange(), needed)) {
            return Optional.of(writer.problem(request, HttpStatus.FORBIDDEN, "forbidden", forbidden));
        }
        return Optional.empty();
    }
}
