package dev.roomgate.api;

import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.config.ApiKeys.ApiKey;
import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.config.Priority;

/**
 * Who is asking and what they may see, recorded on the exchange once the security chain has let the request in.
 * A request with no caller recorded may see nothing: {@link #may} is false for it.
 *
 * @param id {@code key:<name>} for an API key, {@code sub:<subject>} for a bearer token, {@code ip:<address>} when
 *        the operator turned authentication off
 * @param claim in whose name and with what rank its lookups spend provider quota
 */
record Caller(String id, Set<Permission> permissions, QuotaClaim claim) {

    private static final String ATTRIBUTE = Caller.class.getName();

    Caller {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    /** The caller an authentication the chain accepted stands for. */
    static Caller of(Authentication authentication) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            Permission.fromAuthority(authority.getAuthority()).ifPresent(permissions::add);
        }
        if (authentication instanceof ApiKeyAuthentication apiKey && apiKey.key() != null) {
            ApiKey key = apiKey.key();
            String id = "key:" + key.name();
            return new Caller(id, permissions, new QuotaClaim(id, key.name(), key.quotaShare(), key.priority()));
        }
        // A token's subject is its own client for fairness, but never a metric tag: subjects are unbounded.
        String id = authentication instanceof JwtAuthenticationToken ? "sub:" + authentication.getName()
                : "key:" + authentication.getName();
        return new Caller(id, permissions, new QuotaClaim(id, "token", 1, Priority.INTERACTIVE));
    }

    /** With authentication off, every client may see everything and is known by its address (never a header). */
    static Caller unauthenticated(ServerWebExchange exchange) {
        String id = address(exchange);
        return new Caller(id, EnumSet.allOf(Permission.class), new QuotaClaim(id, "anonymous", 1, Priority.INTERACTIVE));
    }

    static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return "ip:" + (remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress());
    }

    void recordOn(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }

    /** The caller the security chain recorded, or null when none was (the request reached no endpoint). */
    static Caller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /** False unless a caller was recorded and holds the permission: deny by default. */
    static boolean may(ServerWebExchange exchange, Permission permission) {
        Caller caller = of(exchange);
        return caller != null && caller.permissions().contains(permission);
    }
}
