package dev.roomgate.api;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.roomgate.config.ApiKeys;
import dev.roomgate.config.ApiKeys.ApiKey;
import dev.roomgate.config.ApiKeys.Permission;

/**
 * Requires a valid {@code X-API-Key} on {@code /v1}, before routing, so that nothing about the API (not even which
 * paths exist) is learned without one. The key found is kept for the routes' permission checks.
 */
final class ApiKeyFilter implements WebFilter, Ordered {

    static final String HEADER = "X-API-Key";

    private static final String ATTRIBUTE = ApiKeyFilter.class.getName() + ".key";

    private final ApiKeys keys;

    private final ProblemWriter writer;

    ApiKeyFilter(ApiKeys keys, ProblemWriter writer) {
        this.keys = keys;
        this.writer = writer;
    }

    @Override
    public int getOrder() {
        // After the request id (its problems carry one) and CORS (a browser's preflight carries no key).
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!keys.enabled() || !(path.equals("/v1") || path.startsWith("/v1/"))) {
            return chain.filter(exchange);
        }
        List<String> presented = exchange.getRequest().getHeaders().getOrEmpty(HEADER);
        Optional<ApiKey> key = presented.size() == 1 ? keys.authenticate(presented.get(0)) : Optional.empty();
        if (key.isEmpty()) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "ApiKey realm=\"roomgate\"");
            return writer.problem(exchange, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "a valid API key is required in the X-API-Key header");
        }
        exchange.getAttributes().put(ATTRIBUTE, key.get());
        return chain.filter(exchange);
    }

    /** True when the request's key has the permission, or when keys are not required at all. */
    static boolean may(ServerWebExchange exchange, Permission permission) {
        ApiKey key = exchange.getAttribute(ATTRIBUTE);
        return key == null || key.may(permission);
    }

    /** The name of the request's key, for the access log; null without one. */
    static String keyName(ServerWebExchange exchange) {
        ApiKey key = exchange.getAttribute(ATTRIBUTE);
        return key == null ? null : key.name();
    }
}
