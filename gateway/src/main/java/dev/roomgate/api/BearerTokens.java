package dev.roomgate.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.config.InvalidConfigurationException;
import dev.roomgate.config.RoomgateProperties.JwtProperties;

/**
 * OAuth2 bearer tokens as an alternative to API keys: RS256/ES256 signatures checked against the issuer's JWKS
 * (fetched without blocking and cached by the decoder), then issuer, audience, expiry and not-before. Scopes
 * {@code roomgate:rooms}, {@code roomgate:participants} and {@code roomgate:providers} grant what the key
 * permissions of the same names grant.
 */
final class BearerTokens {

    private static final String SCOPE_PREFIX = "roomgate:";

    private final ReactiveJwtDecoder decoder;

    private BearerTokens(ReactiveJwtDecoder decoder) {
        this.decoder = decoder;
    }

    /** Null when no JWKS is configured: then bearer tokens are simply not accepted. */
    static BearerTokens from(JwtProperties jwt) {
        if (jwt.jwkSetUri() == null || jwt.jwkSetUri().isBlank()) {
            return null;
        }
        if (jwt.issuer() == null || jwt.issuer().isBlank()) {
            throw new InvalidConfigurationException("roomgate.security.jwt.issuer",
                    "is required when roomgate.security.jwt.jwk-set-uri is set");
        }
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .jwsAlgorithm(SignatureAlgorithm.ES256)
            .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(jwt.issuer()),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audience -> audience != null && audience.contains(jwt.audience()))));
        return new BearerTokens(decoder);
    }

    /** The token's subject and permissions; empty when the token is not valid (the caller answers 401). */
    Mono<Principal> authenticate(String token) {
        return decoder.decode(token)
            .map(jwt -> new Principal(jwt.getSubject() == null ? "token" : jwt.getSubject(), permissions(jwt)))
            .onErrorResume(JwtException.class, invalid -> Mono.empty());
    }

    /** Who a token speaks for and what it may see. */
    record Principal(String subject, Set<Permission> permissions) {
    }

    private static Set<Permission> permissions(Jwt jwt) {
        List<String> scopes = new ArrayList<>();
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String text) {
            scopes.addAll(List.of(text.split(" ")));
        }
        Object scp = jwt.getClaims().get("scp");
        if (scp instanceof Collection<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission permission : Permission.values()) {
            if (scopes.contains(SCOPE_PREFIX + permission.name().toLowerCase(java.util.Locale.ROOT))) {
                permissions.add(permission);
            }
        }
        return permissions;
    }
}
