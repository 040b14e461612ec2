package dev.roomgate.api;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.resilience.InstanceGuards;

/** The end of the {@code providers} route: the configured instances and their live state. */
final class ProvidersFilter implements GatewayFilter {

    static final String PATH = "/v1/providers";

    private final ProviderInstances instances;

    private final InstanceGuards guards;

    private final ProblemWriter writer;

    ProvidersFilter(ProviderInstances instances, InstanceGuards guards, ProblemWriter writer) {
        this.instances = instances;
        this.guards = guards;
        this.writer = writer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Optional<Mono<Void>> refused = EndpointAccess.refusal(exchange, writer, Permission.PROVIDERS,
                "this API key may not list providers");
        if (refused.isPresent()) {
            return refused.get();
        }
        if (!exchange.getRequest().getQueryParams().isEmpty()) {
            return writer.problem(exchange, HttpStatus.BAD_REQUEST, "unknown-parameter",
                    "this endpoint takes no query parameters");
        }
        // Live state: never to be reused by anyone.
        exchange.getResponse().getHeaders().setCacheControl("no-store");
        exchange.getResponse().getHeaders().setVary(List.of(ApiKeyAuthentication.HEADER, HttpHeaders.AUTHORIZATION));
        return writer.write(exchange, 200, MediaType.APPLICATION_JSON, ProviderListing.of(instances, guards));
    }
}
