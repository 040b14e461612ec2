package dev.roomgate.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.resilience.ClientRateLimiter;

/**
 * Each client's own limit on the {@code /v1} endpoints, checked before anything else their handlers do, bad
 * requests included (an enumeration of room ids is what it is for). A client over its limit gets a 429 problem with
 * {@code Retry-After}.
 */
final class ClientRateLimit implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private final ClientRateLimiter limiter;

    private final ProblemWriter problems;

    private final int perSecond;

    private final Counter limited;

    ClientRateLimit(ClientRateLimiter limiter, int perSecond, ProblemWriter problems, MeterRegistry meters) {
        this.limiter = limiter;
        this.perSecond = perSecond;
        this.problems = problems;
        this.limited = Counter.builder("roomgate.client.limited")
            .description("Requests refused because their client was over its own rate limit")
            .register(meters);
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        return limiter.admit(client(request.exchange()))
            .flatMap(verdict -> verdict.allowed() ? next.handle(request) : refuse(request, verdict));
    }

    private Mono<ServerResponse> refuse(ServerRequest request, ClientRateLimiter.Verdict verdict) {
        limited.increment();
        long seconds = verdict.retryAfterSeconds();
        return problems.problem(request, HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                "this client may make " + perSecond + " requests per second; retry after " + seconds + " s",
                headers -> headers.set("Retry-After", Long.toString(seconds)));
    }

    /** The authenticated caller, or, when keys are not required, the connection's address (never a header). */
    static String client(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return caller != null ? caller.id() : Caller.address(exchange);
    }
}
