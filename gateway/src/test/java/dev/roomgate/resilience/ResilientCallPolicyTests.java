package dev.roomgate.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.provider.CallPolicy;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;

import static org.assertj.core.api.Assertions.assertThat;

class ResilientCallPolicyTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static ProviderInstance instance(int maxAttempts, int requestsPerSecond, int budgetMinRetries) {
        return new ProviderInstance("p1", ProviderType.PLUGNMEET, URI.create("http://127.0.0.1:1"), true,
                Duration.ofSeconds(10), requestsPerSecond, 1000,
                new ProviderInstance.RetryPolicy(maxAttempts, Duration.ofSeconds(1), 20, budgetMinRetries),
                new ProviderInstance.BreakerPolicy(4, 4, 50, Duration.ofMillis(300), 1), 10,
                new ProviderCredentials.PlugNmeet("k", Secret.of("s")));
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** The clock of budgets, quotas and retry budgets; a virtual-time test puts the scheduler's in its place. */
    private Ticker clock = Ticker.system();

    private VirtualTimeScheduler virtualTime() {
        VirtualTimeScheduler virtual = VirtualTimeScheduler.create();
        clock = () -> virtual.now(TimeUnit.NANOSECONDS);
        return virtual;
    }

    private InstanceGuards guards(ProviderInstance instance) {
        return new InstanceGuards(List.of(instance), meters, clock::nanoTime);
    }

    private CallPolicy policy(InstanceGuards guards, ProviderInstance instance) {
        return ResilientCallPolicy.factory(guards, new CallMeters(meters)).forInstance(instance);
    }

    private CallBudget budget(Duration total) {
        return CallBudget.start(clock, total);
    }

    private static ProviderException transientFailure() {
        return ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_503", "503").answered(503, null)
            .retryable(true).build();
    }

    /** An upstream that fails the first {@code failures} calls, then answers. */
    private static Mono<String> flaky(AtomicInteger calls, int failures) {
        return Mono.defer(() -> calls.incrementAndGet() <= failures ? Mono.error(transientFailure()) : Mono.just("ok"));
    }

    @Test
    void retriesTransientFailuresWithBackoffAndCountsThemExactly() {
        VirtualTimeScheduler virtual = virtualTime();
        ProviderInstance instance = instance(3, 200, 10);
        CallPolicy calls = policy(guards(instance), instance);
        CallBudget context = budget(instance.timeout());
        AtomicInteger upstream = new AtomicInteger();

        StepVerifier.withVirtualTime(() -> calls.call(context, "test_api", flaky(upstream, 2)), () -> virtual,
                Long.MAX_VALUE)
            .thenAwait(Duration.ofSeconds(2))
            .expectNext("ok")
            .expectComplete()
            .verify(WAIT);

        assertThat(upstream).hasValue(3);
        assertThat(context.retries()).isEqualTo(2);
    }

    @Test
    void backoffIsFullJitterUnderAnExponentialCeilingAndHonoursRetryAfter() {
        for (int i = 0; i < 200; i++) {
            assertThat(ResilientCallPolicy.backoff(0, null)).isBetween(Duration.ZERO, Duration.ofMillis(50));
            assertThat(ResilientCallPolicy.backoff(2, null)).isBetween(Duration.ZERO, Duration.ofMillis(200));
            assertThat(ResilientCallPolicy.backoff(9, null)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        }
        assertThat(ResilientCallPolicy.backoff(0, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void neverRetriesWhatRetryingCannotFix() {
        ProviderInstance instance = instance(3, 200, 10);
        CallPolicy calls = policy(guards(instance), instance);
        CallBudget context = budget(instance.timeout());
        AtomicInteger upstream = new AtomicInteger();
        Mono<String> rejected = Mono.defer(() -> {
            upstream.incrementAndGet();
            return Mono.error(ProviderException.of(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED", "no")
                .answered(401, null).build());
        });

        StepVerifier.create(calls.call(context, "test_api", rejected))
            .expectErrorSatisfies(error -> assertThat(((ProviderException) error).status())
                .isEqualTo(ProviderStatus.AUTH_FAILED))
            .verify(WAIT);
        assertThat(upstream).hasValue(1);
        assertThat(context.retries()).isZero();
    }

    @Test
    void anExhaustedRetryBudgetFailsFast() {
        VirtualTimeScheduler virtual = virtualTime();
        ProviderInstance instance = instance(3, 200, 0);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        AtomicInteger upstream = new AtomicInteger();

        // Budget 20% of first attempts, no floor: four failing calls earn no retry (0.8 rounds down).
        for (int i = 0; i < 4; i++) {
            CallBudget context = budget(instance.timeout());
            StepVerifier.withVirtualTime(() -> calls.call(context, "test_api", flaky(upstream, Integer.MAX_VALUE)),
                    () -> virtual, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(2))
                .expectError(ProviderException.class)
                .verify(WAIT);
        }
        assertThat(upstream).as("one call each: the budget refused every retry").hasValue(4);
        assertThat(meters.get("roomgate.retry.budget.exhausted").counter().count()).isEqualTo(4);
    }

    @Test
    void theBreakerOpensOnFailuresThenLetsATrialThroughAndCloses() {
        ProviderInstance instance = instance(1, 200, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        AtomicInteger upstream = new AtomicInteger();
        CircuitBreaker breaker = guards.of(instance).breaker();

        for (int i = 0; i < 4; i++) {
            StepVerifier.create(calls.call(budget(instance.timeout()), "test_api",
                    flaky(upstream, Integer.MAX_VALUE))).expectError().verify(WAIT);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        StepVerifier.create(calls.call(budget(instance.timeout()), "test_api",
                flaky(upstream, 0)))
            .expectErrorSatisfies(error -> assertThat(((ProviderException) error).status())
                .isEqualTo(ProviderStatus.CIRCUIT_OPEN))
            .verify(WAIT);
        assertThat(upstream).as("no call while open").hasValue(4);

        // The open state's timer is Resilience4j's own; what matters here is what a half-open breaker does.
        breaker.transitionToHalfOpenState();
        StepVerifier.create(calls.call(budget(instance.timeout()), "test_api", Mono.just("ok")))
            .expectNext("ok")
            .expectComplete()
            .verify(WAIT);
        assertThat(breaker.getState()).as("one good trial call closes it").isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void clientErrorsNeverOpenTheBreakerButServerErrorsDo() {
        ProviderInstance instance = instance(1, 200, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        CircuitBreaker breaker = guards.of(instance).breaker();
        for (int status : new int[] { 400, 404, 409, 400 }) {
            StepVerifier.create(calls.call(budget(instance.timeout()), "test_api",
                    Mono.error(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_" + status, "4xx")
                        .answered(status, null).build()))).expectError().verify(WAIT);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(calls.call(budget(instance.timeout()), "test_api",
                    Mono.error(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_500", "500")
                        .answered(500, null).build()))).expectError().verify(WAIT);
        }
        assertThat(breaker.getState()).as("the last four calls, the whole window, failed").isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void oneRoomsUnusableAnswersNeverOpenTheBreakerButTransportFailuresDo() {
        ProviderInstance instance = instance(1, 200, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        CircuitBreaker breaker = guards.of(instance).breaker();
        List<ProviderException> roomFailures = List.of(
                ProviderException.of(ProviderStatus.INVALID_RESPONSE, "UPSTREAM_BODY_TOO_LARGE", "too large").build(),
                ProviderException.of(ProviderStatus.INVALID_RESPONSE, "UPSTREAM_INVALID_RESPONSE", "not JSON").build(),
                ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_REJECTED", "refused")
                    .answered(200, "INVALID_PARAMETERS").build(),
                ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_INTERNAL_ERROR", "in the body")
                    .answered(200, "100001").retryable(true).build());
        // Three times the whole window (4 calls) of them.
        for (int round = 0; round < 3; round++) {
            for (ProviderException failure : roomFailures) {
                StepVerifier.create(calls.call(budget(instance.timeout()), "test_api",
                        Mono.error(failure))).expectError(ProviderException.class).verify(WAIT);
            }
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

        ProviderException unreachable = ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_UNREACHABLE",
                "reset").retryable(true).build();
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(calls.call(budget(instance.timeout()), "test_api",
                    Mono.error(unreachable))).expectError(ProviderException.class).verify(WAIT);
        }
        assertThat(breaker.getState()).as("the instance itself is unreachable").isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void ourOwnRefusalsNeverOpenTheBreaker() {
        ProviderInstance instance = instance(1, 1, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);

        // Quota 1/s and a budget far below a second: every call after the first is refused by the quota.
        StepVerifier.create(calls.call(budget(Duration.ofMillis(200)), "test_api", Mono.just("ok")))
            .expectNext("ok")
            .expectComplete()
            .verify(WAIT);
        for (int i = 0; i < 19; i++) {
            StepVerifier.create(calls.call(budget(Duration.ofMillis(200)), "test_api",
                    Mono.just("ok")))
                .expectErrorSatisfies(error -> assertThat(((ProviderException) error).toError().code())
                    .isEqualTo("QUOTA_EXHAUSTED"))
                .verify(WAIT);
        }
        CircuitBreaker breaker = guards.of(instance).breaker();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(meters.get("roomgate.quota.rejections").counter().count()).isEqualTo(19);
    }

    @Test
    void runningOutOfOurOwnBudgetNeverCountsAgainstTheProvider() {
        ProviderInstance instance = instance(1, 200, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        // 300 ms of budget against a 1 s attempt deadline: the budget, not the provider, ends these calls.
        for (int i = 0; i < 6; i++) {
            StepVerifier.create(calls.call(budget(Duration.ofMillis(300)), "test_api",
                    Mono.never()))
                .expectErrorSatisfies(error -> {
                    assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.TIMEOUT);
                    assertThat(((ProviderException) error).retryable()).isFalse();
                })
                .verify(WAIT);
        }
        CircuitBreaker breaker = guards.of(instance).breaker();
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anAttemptThatOutlivesItsDeadlineIsATimeoutTheBreakerCounts() {
        ProviderInstance instance = instance(1, 200, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        // A budget longer than the 1 s attempt deadline: the attempt's own deadline ends it, the provider was slow.
        CallBudget context = budget(Duration.ofMillis(1500));

        StepVerifier.create(calls.call(context, "test_api", Mono.never()))
            .expectErrorSatisfies(error -> assertThat(((ProviderException) error).status())
                .isEqualTo(ProviderStatus.TIMEOUT))
            .verify(WAIT);
        assertThat(guards.of(instance).breaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void aProviderThrottleBacksOffEveryCallerAndIsReportedAsTheProvidersNotOurQuota() {
        VirtualTimeScheduler virtual = virtualTime();
        ProviderInstance instance = instance(3, 200, 10);
        InstanceGuards guards = guards(instance);
        CallPolicy calls = policy(guards, instance);
        AtomicInteger upstream = new AtomicInteger();
        Mono<String> throttling = Mono.defer(() -> {
            upstream.incrementAndGet();
            return Mono.error(ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                    "Tencent's frequency limit for this REST API was exceeded (60007)").answered(200, "60007")
                .retryable(true).build());
        });

        // A 10 s budget waits out each pause: 1 s, then 2 s; the third throttle ends the call's three attempts.
        StepVerifier.withVirtualTime(() -> calls.call(budget(instance.timeout()), "test_api", throttling),
                () -> virtual, Long.MAX_VALUE)
            .thenAwait(Duration.ofSeconds(4))
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.code()).isEqualTo("UPSTREAM_RATE_LIMITED");
                assertThat(failure.toError().upstreamCode()).isEqualTo("60007");
            })
            .verify(WAIT);
        assertThat(upstream).hasValue(3);

        // The third pause (4 to 5 s) is still on: a caller that cannot wait it out is refused in the provider's
        // words, and the provider is not called.
        StepVerifier.create(calls.call(budget(Duration.ofMillis(500)), "test_api", throttling))
            .expectErrorSatisfies(error -> {
                ProviderException refused = (ProviderException) error;
                assertThat(refused.status()).isEqualTo(ProviderStatus.RATE_LIMITED);
                assertThat(refused.code()).isEqualTo("UPSTREAM_RATE_LIMITED");
                assertThat(refused.toError().upstreamCode()).isEqualTo("60007");
                assertThat(refused.getMessage()).contains("frequency limit").contains("backing off");
            })
            .verify(WAIT);
        assertThat(upstream).hasValue(3);
        assertThat(meters.get("roomgate.quota.rejections").counter().count()).isZero();
        assertThat(meters.get("roomgate.provider.throttles").tag("limit", "60007").counter().count()).isEqualTo(3);
        assertThat(guards.of(instance).breaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }
}
