package dev.roomgate.api;

import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.api.Endpoints.Endpoint;
import dev.roomgate.resilience.ClientRateLimiter;

/**
 * Every refusal the security chain makes, as the contract's problem answers: 401 with the right
 * {@code WWW-Authenticate}, 403 naming the missing permission, 404 for a path that is no endpoint (nothing is
 * learned about what exists), 400 for a request the firewall will not route, 503 when the token issuer's key set
 * cannot be fetched, and 429 for an address that keeps failing. Each is counted by reason.
 */
record SecurityRefusals(ProblemWriter writer, ClientRateLimiter failedAttempts, boolean tokensAccepted,
        MeterRegistry meters) {

    private void count(String reason) {
        Counter.builder("roomgate.security.refused")
            .description("Requests the security chain refused, by reason")
            .tag("reason", reason)
            .register(meters)
            .increment();
    }

    /** No credential, or one that is not valid: 401, or 429 once the address has failed too often. */
    ServerAuthenticationEntryPoint entryPoint() {
        return (exchange, failure) -> Endpoints.isApi(exchange).flatMap(api -> {
            if (!api) {
                count("no-endpoint");
                return notFound(exchange);
            }
            if (failure instanceof AuthenticationServiceException) {
                count("issuer-unavailable");
                exchange.getResponse().getHeaders().set("Retry-After", "5");
                return writer.problem(exchange, HttpStatus.SERVICE_UNAVAILABLE, "token-issuer-unavailable",
                        "the token issuer's signing keys cannot be fetched now; retry later or use an API key");
            }
            return failedAttempts.admit(Caller.address(exchange)).flatMap(verdict -> {
                if (!verdict.allowed()) {
                    count("too-many-failures");
                    long seconds = verdict.retryAfterSeconds();
                    exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
                    return writer.problem(exchange, HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                            "too many requests without a valid credential from this address; retry after "
                                    + seconds + " s");
                }
                return unauthorized(exchange, failure);
            });
        });
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, AuthenticationException failure) {
        boolean badToken = failure instanceof OAuth2AuthenticationException;
        count(badToken ? "invalid-token" : "invalid-key");
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, badToken
                ? "Bearer realm=\"roomgate\", error=\"invalid_token\"" : "ApiKey realm=\"roomgate\"");
        return writer.problem(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", tokensAccepted
                ? "a valid API key (X-API-Key) or bearer token (Authorization) is required"
                : "a valid API key is required in the X-API-Key header");
    }

    /** An authenticated caller without the endpoint's permission: 403; on a path that is no endpoint: 404. */
    ServerAccessDeniedHandler accessDenied() {
        return (exchange, denied) -> Endpoints.of(exchange).flatMap(endpoint -> forbidden(exchange, endpoint));
    }

    private Mono<Void> forbidden(ServerWebExchange exchange, Optional<Endpoint> endpoint) {
        if (endpoint.isEmpty()) {
            count("no-endpoint");
            return notFound(exchange);
        }
        count("forbidden");
        return writer.problem(exchange, HttpStatus.FORBIDDEN, "forbidden", endpoint.get().forbidden());
    }

    private Mono<Void> notFound(ServerWebExchange exchange) {
        return writer.problem(exchange, HttpStatus.NOT_FOUND, "not-found", ProblemErrorHandler.NOT_FOUND_DETAIL);
    }

    /** The firewall's refusal of a path or header that is not in normal form: 400, before any rule is asked. */
    ServerExchangeRejectedHandler rejected() {
        return (exchange, rejected) -> {
            count("not-normalized");
            return writer.problem(exchange, HttpStatus.BAD_REQUEST, "bad-request",
                    "the request is not in normal form: encoded slashes, dot segments, doubled slashes, backslashes,"
                            + " semicolons and control characters are refused");
        };
    }
}
