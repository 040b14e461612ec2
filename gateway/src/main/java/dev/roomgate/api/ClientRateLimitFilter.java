package dev.roomgate.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * Each client's own limit on {@code /v1}, checked before anything else the routes do, bad requests included (an
 * enumeration of room ids is what it is for). A client over its limit gets a 429 problem with {@code Retry-After}.
 */
final class ClientRateLimitFilter implements GatewayFilter {

    private final ClientRateLimiter limiter;

    private final ProblemWriter writer;

    private final int perSecond;

    private final Counter limited;

    ClientRateLimitFilter(ClientRateLimiter limiter, int perSecond, ProblemWriter writer, MeterRegistry meters) {
        this.limiter = limiter;
        this.perSecond = perSecond;
        this.writer = writer;
        this.limited = Counter.builder("roomgate.client.limited")
            .description("Requests refused because their client was over its own rate limit")
            .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return limiter.admit(client(exchange))
            .flatMap(verdict -> verdict.allowed() ? chain.filter(exchange) : refuse(exchange, verdict));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, ClientRateLimiter.Verdict verdict) {
        limited.increment();
        // Whole seconds, rounded up: an earlier retry would only be refused again.
        long seconds = Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
        exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
        return writer.problem(exchange, HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "this client may make "
                + perSecond + " requests per second; retry after " + seconds + " s");
    }

    /** The authenticated caller, or, when keys are not required, the connection's address (never a header). */
    static String client(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return caller != null ? caller.id() : Caller.address(exchange);
    }
}
