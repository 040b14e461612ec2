package dev.roomgate.api;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.core.convert.converter.Converter;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.InvalidConfigurationException;
import dev.roomgate.config.RoomgateProperties.JwtProperties;

/**
 * OAuth2 bearer tokens as an alternative to API keys, for Spring Security's resource server: RS256/ES256 signatures
 * checked against the issuer's JWKS (fetched without blocking and cached by the library's decoder), then issuer,
 * audience, expiry (required) and not-before. Scopes {@code roomgate:rooms}, {@code roomgate:participants} and
 * {@code roomgate:providers} become the authorities the key permissions of the same names grant.
 */
final class BearerTokens {

    private BearerTokens() {
    }

    /** Whether bearer tokens are accepted at all: only once an issuer's JWKS is configured. */
    static boolean accepted(JwtProperties jwt) {
        return jwt.jwkSetUri() != null && !jwt.jwkSetUri().isBlank();
    }

    static ReactiveJwtDecoder decoder(JwtProperties jwt, Ticker ticker) {
        if (jwt.issuer() == null || jwt.issuer().isBlank()) {
            throw new InvalidConfigurationException("roomgate.security.jwt.issuer",
                    "is required when roomgate.security.jwt.jwk-set-uri is set");
        }
        checkJwkSetUri(jwt.jwkSetUri());
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .jwsAlgorithm(SignatureAlgorithm.ES256)
            .webClient(jwksClient(jwt, ticker))
            .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(jwt.issuer()),
                // The default validators accept a token without exp; one that never expires is never accepted.
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audience -> audience != null && audience.contains(jwt.audience()))));
        return token -> decoder.decode(token)
            // A key set that cannot be fetched (refused, timed out, not JSON) surfaces as a plain error from the
            // WebClient; as a JwtException the resource server turns it into an authentication service failure,
            // which Roomgate answers 503, never 500.
            .onErrorMap(error -> !(error instanceof JwtException),
                    error -> new JwtException("the issuer's key set could not be fetched", error));
    }

    /** Scopes as authorities under their own names, so that {@code roomgate:rooms} grants what the key permission does. */
    static Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication() {
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        scopes.setAuthorityPrefix("");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(scopes);
        converter.setPrincipalClaimName(JwtClaimNames.SUB);
        return new ReactiveJwtAuthenticationConverterAdapter(converter);
    }

    /**
     * The key set's own HTTP client: connect and read timeouts well inside a request's budget, and at most one
     * fetch at a time and one per {@code refresh-min-interval} however many unknown key ids arrive.
     */
    private static WebClient jwksClient(JwtProperties jwt, Ticker ticker) {
        HttpClient http = HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) jwt.timeout().toMillis())
            .responseTimeout(jwt.timeout());
        return WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(http))
            .filter(new JwksFetches(jwt.refreshMinInterval(), jwt.timeout(), ticker::nanoTime))
            .build();
    }

    /** The JWKS must come over TLS, but for a loopback address (tests, the demo): a key set is what tokens trust. */
    static void checkJwkSetUri(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        }
        catch (IllegalArgumentException notAUri) {
            throw new InvalidConfigurationException("roomgate.security.jwt.jwk-set-uri", "is not a URI");
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new InvalidConfigurationException("roomgate.security.jwt.jwk-set-uri", "must be an https URL");
        }
        if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw new InvalidConfigurationException("roomgate.security.jwt.jwk-set-uri",
                    "must be https (plain http only for a loopback address)");
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false; // a name other than localhost: resolving it here would block, and DNS can lie
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        }
        catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
