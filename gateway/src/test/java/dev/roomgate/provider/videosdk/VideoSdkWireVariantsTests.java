package dev.roomgate.provider.videosdk;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.support.ClientHarness;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers a VideoSDK server may give that our emulator does not: a server that ignores {@code status=ongoing}, one
 * that redirects to a trailing slash, pages without {@code lastPage}, and a participant listed on two pages.
 */
class VideoSdkWireVariantsTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Map<String, Function<RecordedRequest, MockResponse>> routes = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private final MockWebServer server = server(routes, hits);

    private final MockWebServer elsewhere = server(Map.of(), new ConcurrentHashMap<>());

    private static MockWebServer server(Map<String, Function<RecordedRequest, MockResponse>> routes,
            Map<String, AtomicInteger> hits) {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String target = request.getTarget();
                hits.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
                Function<RecordedRequest, MockResponse> route = routes.get(target);
                return route != null ? route.apply(request) : json(404, "{\"message\":\"no route\"}");
            }
        });
        try {
            server.start();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return server;
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse authorized(RecordedRequest request, String body) {
        String token = request.getHeaders().get("Authorization");
        return token != null && token.startsWith("eyJ") ? json(200, body) : json(401, "{\"message\":\"no token\"}");
    }

    private static String participant(String id) {
        return "{\"participantId\":\"" + id + "\",\"name\":\"" + id + "\",\"_id\":\"r-" + id
                + "\",\"mode\":\"CONFERENCE\",\"timelog\":[{\"start\":\"2026-11-23T10:00:00Z\",\"end\":null}]}";
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    private Room fetch() {
        Room[] found = new Room[1];
        StepVerifier.create(ClientHarness.fetch(ClientHarness.client(ClientHarness.instance("videosdk-variant",
                ProviderType.VIDEOSDK, "http://127.0.0.1:" + server.getPort(), 1,
                new ProviderCredentials.VideoSdk("k", Secret.of("variant-secret")))), "room-1", true).lookup())
            .assertNext(lookup -> found[0] = ((Outcome.Found) lookup).room())
            .expectComplete()
            .verify(WAIT);
        return found[0];
    }

    @Test
    void findsTheOngoingSessionOnALaterPageFollowingASameOriginRedirect() {
        routes.put("/v2/sessions?roomId=room-1&status=ongoing", request -> new MockResponse.Builder().code(308)
            .addHeader("Location", "/v2/sessions/?roomId=room-1&status=ongoing").build());
        routes.put("/v2/sessions/?roomId=room-1&status=ongoing", request -> authorized(request,
                "{\"pageInfo\":{\"currentPage\":1,\"perPage\":1,\"lastPage\":2,\"total\":2},"
                        + "\"data\":[{\"id\":\"s-old\",\"roomId\":\"room-1\",\"status\":\"ended\"}]}"));
        routes.put("/v2/sessions?roomId=room-1&status=ongoing&page=2", request -> authorized(request,
                "{\"pageInfo\":{\"currentPage\":2,\"perPage\":1,\"lastPage\":2,\"total\":2},"
                        + "\"data\":[{\"id\":\"s-live\",\"roomId\":\"room-1\",\"start\":\"2026-11-23T10:00:00Z\","
                        + "\"status\":\"ongoing\"}]}"));
        // No lastPage anywhere: total decides. p2 appears on both pages, as it can while the list shifts.
        routes.put("/v2/sessions/s-live/participants/active?page=1&perPage=100", request -> authorized(request,
                "{\"pageInfo\":{\"currentPage\":1,\"total\":4},\"data\":[{\"_id\":\"s-live\",\"participants\":["
                        + participant("p1") + "," + participant("p2") + "]}]}"));
        routes.put("/v2/sessions/s-live/participants/active?page=2&perPage=100", request -> authorized(request,
                "{\"pageInfo\":{\"currentPage\":2,\"total\":4},\"data\":[{\"_id\":\"s-live\",\"participants\":["
                        + participant("p2") + "," + participant("p3") + "]}]}"));

        Room room = fetch();

        assertThat(room.sessionId()).isEqualTo("s-live");
        assertThat(room.participants()).extracting(p -> p.id()).containsExactly("p1", "p2", "p3");
        assertThat(room.participantCount()).isEqualTo(4);
    }

    @Test
    void neverFollowsARedirectToAnotherOrigin() {
        routes.put("/v2/sessions?roomId=room-1&status=ongoing", request -> new MockResponse.Builder().code(302)
            .addHeader("Location", "http://127.0.0.1:" + elsewhere.getPort() + "/v2/sessions").build());
        StepVerifier.create(ClientHarness.fetch(ClientHarness.client(ClientHarness.instance("videosdk-variant",
                ProviderType.VIDEOSDK, "http://127.0.0.1:" + server.getPort(), 1,
                new ProviderCredentials.VideoSdk("k", Secret.of("variant-secret")))), "room-1", true).lookup())
            .expectErrorSatisfies(error -> assertThat(((ProviderException) error).toError().httpStatus()).isEqualTo(302))
            .verify(WAIT);
        assertThat(elsewhere.getRequestCount()).as("our token went nowhere else").isZero();
    }

    @Test
    void readsTheProvidersOwnErrorCode() {
        routes.put("/v2/sessions?roomId=room-1&status=ongoing",
                request -> json(429, "{\"statusCode\":429,\"code\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"slow down\"}"));
        StepVerifier.create(ClientHarness.fetch(ClientHarness.client(ClientHarness.instance("videosdk-variant",
                ProviderType.VIDEOSDK, "http://127.0.0.1:" + server.getPort(), 1,
                new ProviderCredentials.VideoSdk("k", Secret.of("variant-secret")))), "room-1", true).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.RATE_LIMITED);
                assertThat(failure.toError().upstreamCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
            })
            .verify(WAIT);
    }
}
