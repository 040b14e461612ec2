package dev.roomgate.api;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.config.ApiKeys.Permission;

/**
 * The public API's endpoints as the security chain sees them: a path pattern on the normalized path (decoded, path
 * parameters stripped, as routing sees it), the permission it needs, and what a caller without it is told. The
 * chain's rules are built from this table, and so are the tests that try every path variant against it, so a new
 * endpoint is protected and tested the day it is listed here; one not listed here is never reached.
 */
final class Endpoints {

    /** Everything under {@code /v1}: a caller must be authenticated even to learn that a path does not exist. */
    static final String API = "/v1/**";

    /**
     * @param pattern a Spring {@code PathPattern} on the normalized path
     * @param example a concrete path the pattern matches, for tests and documentation
     */
    record Endpoint(String pattern, String example, Permission permission, String forbidden) {

        ServerWebExchangeMatcher matcher() {
            return new PathPatternParserServerWebExchangeMatcher(pattern);
        }
    }

    static final List<Endpoint> ALL = List.of(
            new Endpoint(ProvidersHandler.PATH, ProvidersHandler.PATH, Permission.PROVIDERS,
                    "this API key may not list providers"),
            new Endpoint(FleetHandler.PATH, FleetHandler.PATH, Permission.ROOMS, "this API key may not read rooms"),
            new Endpoint(WatchHandler.PATTERN, RoomHandler.PATH_PREFIX + "room01" + WatchHandler.SUFFIX,
                    Permission.ROOMS, "this API key may not read rooms"),
            new Endpoint(RoomHandler.PATH_PREFIX + "**", RoomHandler.PATH_PREFIX + "room01",
                    Permission.ROOMS, "this API key may not read rooms"));

    /**
     * Paths anyone may GET (or HEAD) without a credential: what the API is, never what it holds. The chain lets
     * these in by name and nothing else without a credential.
     */
    static final List<String> PUBLIC = List.of(ApiDescription.PATH, ApiDescription.SPRINGDOC_JSON_PATH,
            ApiDescription.SPRINGDOC_YAML_PATH);

    /**
     * Providers' webhooks, which anyone may POST: the provider's signature, checked by the endpoint before anything
     * else, is the credential (contract 2.4).
     */
    static final String WEBHOOKS = WebhookHandler.PATTERN;

    /**
     * Springdoc's Swagger UI page, its assets and its configuration (which points it at {@link ApiDescription#PATH}):
     * public like the document it shows. Springdoc's other paths (its generated documents) are not let in.
     */
    static final List<String> DOCUMENTATION_PAGE = List.of("/swagger-ui.html", "/swagger-ui/**",
            ApiDescription.SPRINGDOC_JSON_PATH + "/swagger-config");

    private static final ServerWebExchangeMatcher API_MATCHER = new PathPatternParserServerWebExchangeMatcher(API);

    /** The paths anyone may GET without a credential: the API's description and its documentation page. */
    static List<String> openPaths() {
        return Stream.concat(PUBLIC.stream(), DOCUMENTATION_PAGE.stream()).toList();
    }

    private Endpoints() {
    }

    /** The endpoint the request's normalized path names, if any. */
    static Mono<Optional<Endpoint>> of(ServerWebExchange exchange) {
        return Flux.fromIterable(ALL)
            .concatMap(endpoint -> endpoint.matcher().matches(exchange)
                .filter(ServerWebExchangeMatcher.MatchResult::isMatch)
                .map(match -> endpoint))
            .next()
            .map(Optional::of)
            .defaultIfEmpty(Optional.empty());
    }

    /** Whether the normalized path is under {@code /v1}. */
    static Mono<Boolean> isApi(ServerWebExchange exchange) {
        return API_MATCHER.matches(exchange).map(ServerWebExchangeMatcher.MatchResult::isMatch);
    }
}
