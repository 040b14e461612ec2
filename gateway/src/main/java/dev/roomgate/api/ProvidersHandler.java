package dev.roomgate.api;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.resilience.InstanceGuards;

/** {@code GET /v1/providers}: the configured instances and their live state. */
record ProvidersHandler(ProviderInstances instances, InstanceGuards guards, ProblemWriter problems,
        DocumentWriter documents) {

    static final String PATH = "/v1/providers";

    Mono<ServerResponse> list(ServerRequest request) {
        Optional<Mono<ServerResponse>> refused = EndpointAccess.refusal(request, problems, Permission.PROVIDERS,
                "this API key may not list providers");
        if (refused.isPresent()) {
            return refused.get();
        }
        if (!request.queryParams().isEmpty()) {
            return problems.problem(request, HttpStatus.BAD_REQUEST, "unknown-parameter",
                    "this endpoint takes no query parameters");
        }
        return documents.json(ProviderListing.of(instances, guards),
                request.headers().header(HttpHeaders.IF_NONE_MATCH), headers -> {
            // Live state: never to be reused by anyone.
            headers.setCacheControl("no-store");
            headers.setVary(List.of(ApiKeyAuthentication.HEADER, HttpHeaders.AUTHORIZATION));
        });
    }
}
