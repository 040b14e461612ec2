package dev.roomgate.provider;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.provider.videosdk.VideoSdkClient;
import dev.roomgate.resilience.CallMeters;
import dev.roomgate.resilience.InstanceGuard;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.resilience.ResilientCallPolicy;
import dev.roomgate.resilience.SharedQuota;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.support.ClientHarness;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hop of a redirect is an upstream call: it takes a permit from the quota the first call used (this replica's
 * and the shared one), and it runs inside the attempt's deadline. Real sockets (MockWebServer), the real VideoSDK
 * client and policy.
 */
class UpstreamRedirectsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String SESSIONS = "/v2/sessions?roomId=room-1&status=ongoing";

    private static final String EMPTY = "{\"pageInfo\":{\"currentPage\":1,\"lastPage\":1,\"total\":0},\"data\":[]}";

    private final MockWebServer server = new MockWebServer();

    private final AtomicInteger authorized = new AtomicInteger();

    private final AtomicInteger sharedGrants = new AtomicInteger();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private InstanceGuards guards;

    @AfterEach
    void stop() {
        server.close();
    }

    /** Answers {@code first} for the sessions listing and {@code then} for anything else. */
    private void serve(MockResponse first, MockResponse then) throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String token = request.getHeaders().get("Authorization");
                if (token != null && token.startsWith("eyJ")) {
                    authorized.incrementAndGet();
                }
                return SESSIONS.equals(request.getTarget()) ? first : then;
            }
        });
        server.start();
    }

    private static MockResponse redirect(String location) {
        return new MockResponse.Builder().code(302).addHeader("Location", location).build();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private ProviderInstance instance(int requestsPerSecond, Duration attemptTimeout) {
        return new ProviderInstance("videosdk-redirects", ProviderType.VIDEOSDK,
                URI.create("http://127.0.0.1:" + server.getPort()), true, Duration.ofSeconds(3), requestsPerSecond,
                1000, new ProviderInstance.RetryPolicy(1, attemptTimeout, 20, 10), ProviderInstance.BreakerPolicy.defaults(),
                10, new ProviderCredentials.VideoSdk("k", Secret.of("redirect-secret")));
    }

    /** A lookup through the production HTTP setup and policy, with a shared quota that counts its grants. */
    private Mono<Outcome> lookup(ProviderInstance instance, LongSupplier nanoTime) {
        guards = new InstanceGuards(List.of(instance), unused -> maxWait -> Mono.fromSupplier(() -> {
            sharedGrants.incrementAndGet();
            return SharedQuota.Grant.GRANTED;
        }), meters, nanoTime);
        UpstreamHttp http = UpstreamHttp.create(instance, 1 << 20, ConnectionProvider.newConnection());
        VideoSdkClient client = new VideoSdkClient(new ClientParts(instance, http,
                ResilientCallPolicy.factory(guards, new CallMeters(meters)).forInstance(instance),
                ClientHarness.JSON, Clock.systemUTC()));
        return client.fetchRoom(new RoomQuery("room-1", false), CallBudget.start(Ticker.system(),
                instance.timeout()));
    }

    private InstanceGuard guard(ProviderInstance instance) {
        return guards.of(instance);
    }

    @Test
    void aSameOriginRedirectCostsTwoCallsOfTheQuota() throws Exception {
        serve(redirect("/v2/sessions/?roomId=room-1&status=ongoing"), json(EMPTY));
        // The attempt's own deadline runs on the wall clock: all of the instance's 3 s, so a cold JVM on a loaded
        // box (3.5 s for this class once) is not cut short. This test counts quota, not time.
        ProviderInstance instance = instance(200, Duration.ofSeconds(3));
        // The quota's clock stands still, so what it has handed out is still in its window when we look.
        AtomicLong frozen = new AtomicLong(System.nanoTime());

        StepVerifier.create(lookup(instance, frozen::get))
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(authorized).as("the token followed to the same origin").hasValue(2);
        InstanceGuard guard = guard(instance);
        assertThat(guard.quota().limit() - guard.quota().available()).as("this replica's quota").isEqualTo(2);
        assertThat(sharedGrants).as("the quota all replicas share").hasValue(2);
        assertThat(guard.meters().upstreamCalls().count()).isEqualTo(2);
    }

    @Test
    void aRedirectLoopEndsWithAClearStatusAndEveryHopCounted() throws Exception {
        serve(redirect(SESSIONS), json(EMPTY));
        ProviderInstance instance = instance(200, Duration.ofSeconds(1));
        AtomicLong frozen = new AtomicLong(System.nanoTime());

        StepVerifier.create(lookup(instance, frozen::get))
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.UPSTREAM_ERROR);
                assertThat(failure.code()).isEqualTo("UPSTREAM_TOO_MANY_REDIRECTS");
                assertThat(failure.httpStatus()).isEqualTo(302);
            })
            .verify(WAIT);

        int calls = 1 + UpstreamHttp.MAX_REDIRECTS;
        assertThat(server.getRequestCount()).isEqualTo(calls);
        InstanceGuard guard = guard(instance);
        assertThat(guard.quota().limit() - guard.quota().available()).isEqualTo(calls);
        assertThat(sharedGrants).hasValue(calls);
        assertThat(guard.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void aSlowRedirectLoopEndsAtTheAttemptsDeadline() throws Exception {
        // Each hop takes 400 ms; the attempt has 500 ms, so it ends long before the loop would.
        MockResponse slow = new MockResponse.Builder().code(302).addHeader("Location", SESSIONS)
            .headersDelay(400, TimeUnit.MILLISECONDS)
            .build();
        serve(slow, json(EMPTY));
        ProviderInstance instance = instance(200, Duration.ofMillis(500));

        StepVerifier.create(lookup(instance, System::nanoTime))
            .expectErrorSatisfies(error -> {
                assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.TIMEOUT);
                assertThat(((ProviderException) error).code()).isEqualTo("UPSTREAM_TIMEOUT");
            })
            .verify(WAIT);
        assertThat(server.getRequestCount()).isBetween(1, UpstreamHttp.MAX_REDIRECTS);
    }

    @Test
    void aHopTheQuotaCannotGrantInTimeIsRefusedNotSent() throws Exception {
        serve(redirect("/v2/sessions/?roomId=room-1&status=ongoing"), json(EMPTY));
        // One call per second: the hop would wait about a second, more than its attempt can spare.
        ProviderInstance instance = instance(1, Duration.ofSeconds(1));

        StepVerifier.create(lookup(instance, System::nanoTime))
            .expectErrorSatisfies(error -> {
                assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.RATE_LIMITED);
                assertThat(((ProviderException) error).code()).isEqualTo("QUOTA_EXHAUSTED");
            })
            .verify(WAIT);
        assertThat(server.getRequestCount()).as("the redirect was not followed").isEqualTo(1);
        assertThat(guard(instance).meters().quotaRejections().count()).isEqualTo(1);
    }
}
