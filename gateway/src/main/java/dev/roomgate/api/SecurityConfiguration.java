package dev.roomgate.api;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.WebFilter;

import dev.roomgate.config.ApiKeys;
import dev.roomgate.config.RoomgateProperties;

/** Client authentication, CORS (off unless origins are listed) and security headers at the edge. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    ApiKeys apiKeys(RoomgateProperties properties) {
        return ApiKeys.from(properties.security());
    }

    @Bean
    WebFilter apiKeyFilter(ApiKeys keys, RoomgateProperties properties, ProblemWriter writer) {
        return new ApiKeyFilter(keys, BearerTokens.from(properties.security().jwt()), writer);
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
        cors.setAllowedHeaders(List.of(ApiKeyFilter.HEADER, RequestIdFilter.HEADER, "Cache-Control"));
        cors.setExposedHeaders(List.of(RequestIdFilter.HEADER, RoomAnswerFilter.COMPLETE_HEADER, "Age"));
        cors.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", cors);
        return new CorsWebFilter(source);
    }
}
