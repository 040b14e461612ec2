package dev.roomgate.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

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
 * Requires a valid {@code X-API-Key} (or, where an issuer is configured, a valid bearer token) on {@code /v1},
 * before routing, so that nothing about the API (not even which
 * paths exist) is learned without one. The key found is kept for the routes' permission checks.
 */
final class ApiKeyFilter implements WebFilter, Ordered {

    static final String HEADER = "X-API-Key";

    private static final String ATTRIBUTE = ApiKeyFilter.class.getName() + ".key";

    private final ApiKeys keys;

    private final BearerTokens tokens;

    private final ProblemWriter writer;

    /** @param tokens null when bearer tokens are not accepted */
    ApiKeyFilter(ApiKeys keys, BearerTokens tokens, ProblemWriter writer) {
        this.keys = keys;
        this.tokens = tokens;
        this.writer = writer;
    }

    /**
     * Who is asking and what they may see.
     * @param id {@code key:<name>} for an API key, {@code sub:<subject>} for a bearer token
     */
    record Caller(String id, Set<Permission> permissions) {
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
        String bearer = bearerToken(exchange);
        if (presented.isEmpty() && bearer != null && tokens != null) {
            return tokens.authenticate(bearer)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(principal -> principal.isEmpty() ? unauthorized(exchange, true)
                        : admit(exchange, chain, new Caller("sub:" + principal.get().subject(), principal.get().permissions())));
        }
        Optional<ApiKey> key = presented.size() == 1 ? keys.authenticate(presented.get(0)) : Optional.empty();
        if (key.isEmpty()) {
            return unauthorized(exchange, false);
        }
        return admit(exchange, chain, new Caller("key:" + key.get().name(), key.get().permissions()));
    }

    private static Mono<Void> admit(ServerWebExchange exchange, WebFilterChain chain, Caller caller) {
        exchange.getAttributes().put(ATTRIBUTE, caller);
        return chain.filter(exchange);
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, boolean badToken) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, badToken
                ? "Bearer realm=\"roomgate\", error=\"invalid_token\"" : "ApiKey realm=\"roomgate\"");
        return writer.problem(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", tokens == null
                ? "a valid API key is required in the X-API-Key header"
                : "a valid API key (X-API-Key) or bearer token (Authorization) is required");
    }

    private static String bearerToken(ServerWebExchange exchange) {
        List<String> authorization = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION);
        if (authorization.size() != 1 || !authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.get(0).substring(7).strip();
        return token.isEmpty() || token.length() > 8192 ? null : token;
    }

    /** The authenticated caller's id, or null when keys are not required. */
    static String clientId(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(ATTRIBUTE);
        return caller == null ? null : caller.id();
    }

    /** True when the request's key has the permission, or when keys are not required at all. */
    static boolean may(ServerWebExchange exchange, Permission permission) {
        Caller caller = exchange.getAttribute(ATTRIBUTE);
        return caller == null || caller.permissions().contains(permission);
    }
}
