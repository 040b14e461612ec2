package dev.roomgate.api;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.WebFilter;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.api.Endpoints.Endpoint;
import dev.roomgate.config.ApiKeys;
import dev.roomgate.config.RoomgateProperties.FailedAttemptsProperties;
import dev.roomgate.config.RoomgateProperties.SecurityProperties;
import dev.roomgate.config.RoomgateProperties;
import dev.roomgate.resilience.LocalClientRateLimiter;

/**
 * The edge, on Spring Security's reactive filter chain: its strict firewall refuses paths that are not in normal
 * form before any rule is asked; the rules see the normalized path (decoded, path parameters stripped) exactly as
 * routing does; API keys and bearer tokens are authentications the chain understands; and whatever no rule lets
 * in is denied. CORS (off unless origins are listed) and the security headers run before it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    @Bean
    ApiKeys apiKeys(RoomgateProperties properties) {
        return ApiKeys.from(properties.security());
    }

    @Bean
    SecurityRefusals securityRefusals(ProblemWriter writer, RoomgateProperties properties, MeterRegistry meters,
            Ticker ticker) {
        FailedAttemptsProperties failed = properties.security().failedAttempts();
        return new SecurityRefusals(writer, new LocalClientRateLimiter(failed.perSecond(), failed.burst(),
                ticker::nanoTime), BearerTokens.accepted(properties.security().jwt()), meters);
    }

    /** The library's strict firewall, with its defaults: only the ways of writing a path that routing agrees on. */
    @Bean
    ServerWebExchangeFirewall serverWebExchangeFirewall() {
        return new StrictServerWebExchangeFirewall();
    }

    @Bean
    ServerExchangeRejectedHandler serverExchangeRejectedHandler(SecurityRefusals refusals) {
        return refusals.rejected();
    }

    @Bean
    SecurityWebFilterChain roomgateSecurity(ServerHttpSecurity http, ApiKeys keys, RoomgateProperties properties,
            SecurityRefusals refusals, Ticker ticker) {
        SecurityProperties security = properties.security();
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
            .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
            .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
            .logout(ServerHttpSecurity.LogoutSpec::disable)
            .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
            // SecurityHeadersFilter writes the contract's headers on every answer, firewall refusals included.
            .headers(ServerHttpSecurity.HeaderSpec::disable)
            .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
            .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
            .exceptionHandling(handling -> handling.authenticationEntryPoint(refusals.entryPoint())
                .accessDeniedHandler(refusals.accessDenied()))
            .authorizeExchange(rules -> rules(rules, keys.enabled()));
        if (keys.enabled()) {
            http.addFilterAt(apiKeyAuthentication(keys, refusals), SecurityWebFiltersOrder.AUTHENTICATION);
            if (BearerTokens.accepted(security.jwt())) {
                http.oauth2ResourceServer(server -> server
                    .bearerTokenConverter(bearerUnlessKey())
                    .authenticationEntryPoint(refusals.entryPoint())
                    .authenticationFailureHandler(failureHandler(refusals))
                    .accessDeniedHandler(refusals.accessDenied())
                    .jwt(jwt -> jwt.jwtDecoder(BearerTokens.decoder(security.jwt(), ticker))
                        .jwtAuthenticationConverter(BearerTokens.authentication())));
            }
        }
        http.addFilterAfter(recordCaller(keys.enabled()), SecurityWebFiltersOrder.AUTHORIZATION);
        return http.build();
    }

    /**
     * Each endpoint its permission; anything else under {@code /v1} for an authenticated caller (so that it, and
     * only it, learns a path is not there); management endpoints (on their own port) for probes and scrapes; the
     * API's own description and the webhooks, for anyone; and nothing else.
     *
     * <p>The {@code /v1} rules come first because they are what nearly every request needs, and the chain tries the
     * rules one by one until one matches (each try subscribes a matcher through the whole operator chain): the
     * room rule was the eighteenth. The order decides nothing else, since no other rule matches a path under
     * {@code /v1} ({@code SecurityRuleOrderTests} checks that).
     */
    private static void rules(AuthorizeExchangeSpec rules, boolean authenticationRequired) {
        for (Endpoint endpoint : Endpoints.ALL) {
            if (authenticationRequired) {
                rules.pathMatchers(endpoint.pattern()).hasAuthority(endpoint.permission().authority());
            }
            else {
                rules.pathMatchers(endpoint.pattern()).permitAll();
            }
        }
        if (authenticationRequired) {
            rules.pathMatchers(Endpoints.API).authenticated();
        }
        else {
            rules.pathMatchers(Endpoints.API).permitAll();
        }
        rules.matchers(EndpointRequest.toAnyEndpoint()).permitAll();
        // What the API is, not what it holds: a client needs it before it has a key.
        for (String path : Endpoints.openPaths()) {
            rules.pathMatchers(HttpMethod.GET, path).permitAll();
            rules.pathMatchers(HttpMethod.HEAD, path).permitAll();
        }
        rules.pathMatchers(HttpMethod.POST, Endpoints.WEBHOOKS).permitAll();
        // No rule for OPTIONS: with CORS on, CorsWebFilter answers a browser's preflight before this chain; with it
        // off, a preflight is refused like any request without a credential.
        rules.anyExchange().denyAll();
    }

    private static WebFilter apiKeyAuthentication(ApiKeys keys, SecurityRefusals refusals) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(ApiKeyAuthentication.manager(keys));
        filter.setServerAuthenticationConverter(ApiKeyAuthentication.converter());
        filter.setAuthenticationFailureHandler(failureHandler(refusals));
        return filter;
    }

    /** A key, when one is presented, decides alone: a bearer token beside it is not looked at. */
    private static org.springframework.security.web.server.authentication.ServerAuthenticationConverter bearerUnlessKey() {
        ServerBearerTokenAuthenticationConverter bearer = new ServerBearerTokenAuthenticationConverter();
        return exchange -> ApiKeyAuthentication.presentsKey(exchange) ? Mono.empty() : bearer.convert(exchange);
    }

    /** Failures become the refusal's problem answer; an unreachable key set too (503), never an error page. */
    private static ServerAuthenticationEntryPointFailureHandler failureHandler(SecurityRefusals refusals) {
        ServerAuthenticationEntryPointFailureHandler handler = new ServerAuthenticationEntryPointFailureHandler(
                refusals.entryPoint());
        handler.setRethrowAuthenticationServiceException(false);
        return handler;
    }

    /** Records who the chain let in, for the endpoints' own checks and the client limit. */
    private static WebFilter recordCaller(boolean authenticationRequired) {
        return (exchange, chain) -> {
            if (!authenticationRequired) {
                Caller.unauthenticated(exchange).recordOn(exchange);
                return chain.filter(exchange);
            }
            return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .doOnNext(authentication -> Caller.of(authentication).recordOn(exchange))
                .then(chain.filter(exchange));
        };
    }

    @Bean
    WebFilter securityHeadersFilter() {
        return new SecurityHeadersFilter();
    }

    /** Only with origins configured: without any, browsers on other origins get no CORS headers at all. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    WebFilter corsFilter(RoomgateProperties properties) {
        List<String> origins = properties.security().corsAllowedOrigins();
        if (origins.isEmpty()) {
            // Not even a filter: CorsWebFilter would still answer every preflight with an empty 200.
            return (exchange, chain) -> chain.filter(exchange);
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(origins);
        cors.setAllowedMethods(List.of("GET", "HEAD"));
        cors.setAllowedHeaders(List.of(ApiKeyAuthentication.HEADER, RequestIdFilter.HEADER, "Cache-Control"));
        cors.setExposedHeaders(List.of(RequestIdFilter.HEADER, RoomHandler.COMPLETE_HEADER, "Age"));
        cors.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", cors);
        return new CorsWebFilter(source);
    }
}
