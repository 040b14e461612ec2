package dev.roomgate.api;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.aggregate.RoomAggregator;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.config.RoomgateProperties;
import dev.roomgate.config.RoomgateProperties.ClientRateLimitProperties;
import dev.roomgate.observability.AnswerMeters;
import dev.roomgate.provider.ProviderClients;
import dev.roomgate.resilience.InstanceGuards;

/**
 * The public API as gateway routes. Built in code, not in operator configuration, because they are the product;
 * later filters (client rate limits, authentication) attach to these routes.
 */
@Configuration(proxyBeanMethods = false)
class RoomRoutes {

    @Bean
    RouteLocator roomgateRoutes(RouteLocatorBuilder routes, ProviderClients clients, RoomAggregator aggregator,
            ProblemWriter writer, MeterRegistry meters, ProviderInstances instances, InstanceGuards guards,
            RoomgateProperties properties, ObjectProvider<ClientRateLimiter> sharedLimiter) {
        ProvidersFilter providers = new ProvidersFilter(instances, guards, writer);
        RoomAnswerFilter answer = new RoomAnswerFilter(new RoomRequestParser(clients), aggregator, writer,
                new AnswerMeters(meters), new RoomDocumentJson(writer.json()));
        GatewayFilter limit = clientLimit(properties.clientRateLimit(), sharedLimiter, writer, meters);
        return routes.routes()
            // Everything below /v1/rooms/ is this route, so an id with a slash in it is refused as a bad id (400)
            // rather than missed as a path (404); /v1/rooms itself is left for the room listing.
            .route("rooms", route -> route.path(RoomAnswerFilter.PATH_PREFIX + "**")
                .and()
                .not(other -> other.path("/v1/rooms"))
                .filters(filters -> filters.filter(limit, LIMIT_FIRST).filter(answer))
                .uri("no://op"))
            .route("providers", route -> route.path(ProvidersFilter.PATH)
                .filters(filters -> filters.filter(limit, LIMIT_FIRST).filter(providers))
                .uri("no://op"))
            .build();
    }

    /** Before the endpoint's own filter, whatever order the builder would give two unordered filters. */
    private static final int LIMIT_FIRST = -1;

    /** The client limit: shared through Redis in cluster mode, this replica's own otherwise; none when disabled. */
    private static GatewayFilter clientLimit(ClientRateLimitProperties settings,
            ObjectProvider<ClientRateLimiter> shared, ProblemWriter writer, MeterRegistry meters) {
        if (!settings.enabled()) {
            return (exchange, chain) -> chain.filter(exchange);
        }
        ClientRateLimiter limiter = shared.getIfAvailable(() -> new LocalClientRateLimiter(
                settings.requestsPerSecond(), settings.burst(), System::nanoTime));
        return new ClientRateLimitFilter(limiter, settings.requestsPerSecond(), writer, meters);
    }
}
