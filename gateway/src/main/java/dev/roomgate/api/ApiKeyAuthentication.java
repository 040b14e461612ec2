package dev.roomgate.api;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.config.ApiKeys.ApiKey;
import dev.roomgate.config.ApiKeys;

/**
 * An {@code X-API-Key} as an {@link Authentication} the security chain understands: presented (the key, not yet
 * checked) or authenticated (the key's name and permissions; the key itself is no longer held).
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    static final String HEADER = "X-API-Key";

    private final String presented;

    private final String name;

    private final ApiKey key;

    private ApiKeyAuthentication(String presented) {
        super(List.of());
        this.presented = presented;
        this.name = "unauthenticated";
        this.key = null;
    }

    private ApiKeyAuthentication(ApiKey key) {
        super(key.permissions().stream().map(permission -> new SimpleGrantedAuthority(permission.authority())).toList());
        this.presented = null;
        this.name = key.name();
        this.key = key;
        setAuthenticated(true);
    }

    /** The key this authentication matched; null before it is authenticated. */
    ApiKey key() {
        return key;
    }

    @Override
    public Object getCredentials() {
        return presented;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Reads the key from the request; none when there is no {@code X-API-Key} (a bearer token may follow). */
    static ServerAuthenticationConverter converter() {
        return exchange -> {
            List<String> presented = exchange.getRequest().getHeaders().getOrEmpty(HEADER);
            if (presented.isEmpty()) {
                return Mono.empty();
            }
            if (presented.size() > 1) {
                return Mono.error(new BadCredentialsException("more than one X-API-Key header"));
            }
            return Mono.just(new ApiKeyAuthentication(presented.get(0)));
        };
    }

    /** Checks a presented key against every configured hash, in constant time ({@link ApiKeys#authenticate}). */
    static ReactiveAuthenticationManager manager(ApiKeys keys) {
        return authentication -> Mono.fromSupplier(() -> keys.authenticate((String) authentication.getCredentials()))
            .flatMap(key -> key.<Mono<Authentication>>map(found -> Mono.just(new ApiKeyAuthentication(found)))
                .orElseGet(() -> Mono.error(new BadCredentialsException("unknown API key"))));
    }

    /** Whether the request presents a key at all: then a key decides, and a bearer token beside it is ignored. */
    static boolean presentsKey(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().containsHeader(HEADER);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
