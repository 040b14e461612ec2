package dev.roomgate.api;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.aggregate.RoomAggregator;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.config.RoomgateProperties.ClientRateLimitProperties;
import dev.roomgate.config.RoomgateProperties;
import dev.roomgate.fleet.FleetAggregator;
import dev.roomgate.fleet.FleetCursor;
import dev.roomgate.provider.ProviderClients;
import dev.roomgate.resilience.ClientRateLimiter;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.resilience.LocalClientRateLimiter;
import dev.roomgate.watch.RoomWatches;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * The public API as WebFlux functional endpoints. Their mapping is consulted before Spring Cloud Gateway's, so an
 * answer runs the security chain, the client limit and its handler, and no route predicate or gateway filter; the
 * gateway is left for what it is for, routes to upstreams. Built in code, not in operator configuration, because
 * they are the product.
 */
@Configuration(proxyBeanMethods = false)
class ApiRoutes {

    @Bean
    RouterFunction<ServerResponse> roomgateApi(ProviderClients clients, RoomAggregator aggregator,
            ProblemWriter problems, DocumentWriter documents, MeterRegistry meters, ProviderInstances instances,
            InstanceGuards guards, RoomgateProperties properties, ObjectProvider<ClientRateLimiter> sharedLimiter,
            Ticker ticker, FleetAggregator fleetAggregator, FleetCursor cursors, JsonMapper json,
            RoomWatches watches) {
        RoomRequestParser roomParser = new RoomRequestParser(clients);
        RoomHandler room = new RoomHandler(roomParser, aggregator, problems, documents,
                new AnswerMeters(meters), ticker);
        FleetHandler fleet = new FleetHandler(new FleetRequestParser(roomParser, fleetAggregator, cursors),
                fleetAggregator, problems, documents, ticker);
        ProvidersHandler providers = new ProvidersHandler(instances, guards, problems, documents);
        WatchHandler watch = new WatchHandler(roomParser, watches, problems);
        ApiDescription description = new ApiDescription(json);
        return RouterFunctions.route()
            .route(path(ApiDescription.PATH).or(path(ApiDescription.SPRINGDOC_YAML_PATH)), description::yaml)
            .route(path(ApiDescription.SPRINGDOC_JSON_PATH), description::json)
            .route(path(WatchHandler.PATTERN), watch::watch)
            // Everything else below /v1/rooms/ is the room endpoint, so an id with a slash in it is refused as a bad id
            // (400) rather than missed as a path (404); /v1/rooms itself is the fleet view.
            .route(path(RoomHandler.PATH_PREFIX + "**").and(path(FleetHandler.PATH).negate()), room::answer)
            .route(path(FleetHandler.PATH), fleet::answer)
            .route(path(ProvidersHandler.PATH), providers::list)
            .filter(clientLimit(properties.clientRateLimit(), sharedLimiter, problems, meters, ticker))
            .build();
    }

    /** The client limit: shared through Redis in cluster mode, this replica's own otherwise; none when disabled. */
    private static HandlerFilterFunction<ServerResponse, ServerResponse> clientLimit(
            ClientRateLimitProperties settings, ObjectProvider<ClientRateLimiter> shared, ProblemWriter problems,
            MeterRegistry meters, Ticker ticker) {
        if (!settings.enabled()) {
            return (request, next) -> next.handle(request);
        }
        ClientRateLimiter limiter = shared.getIfAvailable(() -> new LocalClientRateLimiter(
                settings.requestsPerSecond(), settings.burst(), ticker::nanoTime));
        return new ClientRateLimit(limiter, settings.requestsPerSecond(), problems, meters);
    }
}
