package dev.roomgate.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.io.Resource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;

import dev.roomgate.api.Endpoints.Endpoint;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deny by default, tried the way an attacker tries it: every way of writing every {@code /v1} endpoint's path,
 * sent without a credential over a raw socket (no client normalizes it first), is refused with a 4xx problem answer
 * and reaches no provider. The endpoints come from the application's own table, and every route (functional
 * endpoint or gateway route) must be in it, so an endpoint added tomorrow is tried here the day it is added.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EdgePathVariantsTests {

    static final ProviderEmulators emulators = ProviderEmulators.start();

    @LocalServerPort
    int port;

    @Autowired
    List<RouterFunction<?>> routers;

    @Autowired
    RouteLocator gatewayRoutes;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        emulators.register(registry);
        // Every variant below fails authentication from one address; the 429 they would earn is tested elsewhere.
        registry.add("roomgate.security.failed-attempts.per-second", () -> "100000");
        registry.add("roomgate.security.failed-attempts.burst", () -> "100000");
    }

    @AfterEach
    void noUpstreamCall() {
        assertThat(emulators.totalCalls()).as("upstream calls").isZero();
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    /** Each way of writing one segment of a path that a router or a filter might read differently. */
    static Map<String, String> segmentVariants(String segment) {
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("percent-encoded first character", percentEncoded(segment.substring(0, 1)) + segment.substring(1));
        variants.put("percent-encoded whole", percentEncoded(segment));
        variants.put("lower-case percent-encoded", percentEncoded(segment).toLowerCase(Locale.ROOT));
        variants.put("matrix parameter", segment + ";x=1");
        variants.put("empty matrix parameter", segment + ";");
        variants.put("upper-case", segment.toUpperCase(Locale.ROOT));
        variants.put("doubled slash before", "/" + segment);
        variants.put("dot segment before", "./" + segment);
        variants.put("parent segment before", "x/../" + segment);
        variants.put("encoded dot segment before", "%2e/" + segment);
        variants.put("encoded slash inside", segment.substring(0, 1) + "%2F" + segment.substring(1));
        variants.put("encoded backslash before", "%5C" + segment);
        variants.put("encoded NUL after", segment + "%00");
        variants.put("tab after", segment + "%09");
        return variants;
    }

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.ALL) {
            String path = endpoint.example();
            String[] segments = path.substring(1).split("/");
            all.add(Arguments.of(path + " as it is", path));
            all.add(Arguments.of(path + " trailing slash", path + "/"));
            all.add(Arguments.of(path + " backslashes", path.replace('/', '\\')));
            all.add(Arguments.of(path + " last slash a backslash", path.substring(0, path.lastIndexOf('/')) + "\\"
                    + path.substring(path.lastIndexOf('/') + 1)));
            all.add(Arguments.of(path + " query", path + "?participants=true"));
            for (int i = 0; i < segments.length; i++) {
                for (Map.Entry<String, String> variant : segmentVariants(segments[i]).entrySet()) {
                    String[] written = segments.clone();
                    written[i] = variant.getValue();
                    all.add(Arguments.of(path + " segment " + (i + 1) + " " + variant.getKey(),
                            "/" + String.join("/", written)));
                }
            }
        }
        return all.stream();
    }

    private static String percentEncoded(String text) {
        StringBuilder encoded = new StringBuilder();
        for (char c : text.toCharArray()) {
            encoded.append('%').append(String.format("%02X", (int) c));
        }
        return encoded.toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("variants")
    void noWayOfWritingAnEndpointGetsPastWithoutACredential(String name, String target) throws IOException {
        for (String credential : List.of("", "X-API-Key: wrong-key\r\n", "Authorization: Bearer abc.def.ghi\r\n")) {
            String answer = RawHttp.get(port, target, credential);
            int status = RawHttp.status(answer);
            assertThat(status).as(name + " " + credential.strip() + ": " + answer.lines().findFirst().orElse(""))
                .isBetween(400, 499);
            if (target.indexOf('\\') >= 0 && status == 400 && RawHttp.head(answer).contains("content-length: 0")) {
                // A raw backslash is not a valid URI character: Reactor Netty refuses the request line itself, before
                // any of Roomgate runs (as it does a request line over 4 KiB), so there is no problem body to give.
                continue;
            }
            assertThat(RawHttp.head(answer)).as(name + ": a problem answer")
                .contains("content-type: application/problem+json");
        }
    }

    @Test
    void everyRouteIsAnEndpointOfTheTable() {
        List<RequestPredicate> endpoints = new ArrayList<>();
        routers.forEach(router -> router.accept(new RouteCollector(endpoints)));
        assertThat(endpoints).as("the API's functional endpoints").isNotEmpty();
        for (RequestPredicate route : endpoints) {
            boolean open = Endpoints.PUBLIC.stream().anyMatch(path -> route.test(ServerRequest.create(
                    MockServerWebExchange.from(MockServerHttpRequest.get(path).build()),
                    HandlerStrategies.withDefaults().messageReaders())));
            boolean webhook = route.test(ServerRequest.create(MockServerWebExchange.from(
                    MockServerHttpRequest.post(WebhookHandler.PREFIX + "instance").build()),
                    HandlerStrategies.withDefaults().messageReaders()));
            if (open || webhook) {
                continue;
            }
            assertThat(Endpoints.ALL).as("route " + route + " has an entry in Endpoints.ALL or Endpoints.PUBLIC")
                .anyMatch(endpoint -> route.test(ServerRequest.create(exchange(endpoint),
                        HandlerStrategies.withDefaults().messageReaders())));
        }
        // Gateway routes to upstreams, should there ever be any, are held to the same table.
        for (Route route : gatewayRoutes.getRoutes().collectList().block(java.time.Duration.ofSeconds(10))) {
            boolean listed = Endpoints.ALL.stream()
                .anyMatch(endpoint -> Boolean.TRUE.equals(Mono.from(route.getPredicate().apply(exchange(endpoint)))
                    .block()));
            assertThat(listed).as("route " + route.getId() + " has an entry in Endpoints.ALL").isTrue();
        }
    }

    private static MockServerWebExchange exchange(Endpoint endpoint) {
        return MockServerWebExchange.from(MockServerHttpRequest.get(endpoint.example()).build());
    }

    /** Every route of a router, nested or filtered, by its predicate. */
    private record RouteCollector(List<RequestPredicate> routes) implements RouterFunctions.Visitor {

        @Override
        public void startNested(RequestPredicate predicate) {
        }

        @Override
        public void endNested(RequestPredicate predicate) {
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
            routes.add(predicate);
        }

        @Override
        public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {
            throw new AssertionError("a resource route the table cannot see");
        }

        @Override
        public void attributes(Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
            throw new AssertionError("a route the table cannot see: " + routerFunction);
        }
    }

    @Test
    void theSameRequestsWithAValidKeyAreServed() throws IOException {
        for (Endpoint endpoint : Endpoints.ALL) {
            String answer = RawHttp.get(port, endpoint.example(), "X-API-Key: " + ProviderEmulators.API_KEY + "\r\n");
            assertThat(RawHttp.status(answer)).as(endpoint.example()).isIn(200, 404);
        }
        emulators.reset();
    }
}
