package dev.roomgate.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderThrottleTests {

    private static final ProviderInstance INSTANCE = new ProviderInstance("tencent-a", ProviderType.TENCENT,
            URI.create("http://127.0.0.1:1"), true, Duration.ofSeconds(2), 200,
            1000, ProviderInstance.RetryPolicy.defaults(3), ProviderInstance.BreakerPolicy.defaults(), 10,
            new ProviderCredentials.Tencent(1400000001L, "admin", Secret.of("s")));

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ProviderThrottle throttle = new ProviderThrottle(INSTANCE, meters, now::get);

    private static ProviderException tencent60007() {
        return ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                "Tencent's frequency limit for this REST API was exceeded (60007)").answered(200, "60007")
            .retryable(true).build();
    }

    private static ProviderException http429(Duration retryAfter) {
        return ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                "the provider's own rate limit refused the call (HTTP 429)").answered(429, null).retryable(true)
            .retryAfter(retryAfter).build();
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void backsOffExponentiallyFromOneSecondWithJitterUpToThirtySeconds() {
        for (int i = 0; i < 200; i++) {
            assertThat(ProviderThrottle.backoff(1)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1250));
            assertThat(ProviderThrottle.backoff(2)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2500));
            assertThat(ProviderThrottle.backoff(4)).isBetween(Duration.ofMillis(8000), Duration.ofMillis(10_000));
            assertThat(ProviderThrottle.backoff(6)).isEqualTo(Duration.ofSeconds(30));
            assertThat(ProviderThrottle.backoff(60)).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aProvidersOwnCeilingStopsTheDoublingSooner() {
        for (int i = 0; i < 200; i++) {
            assertThat(ProviderThrottle.backoff(2, Duration.ofSeconds(8))).isBetween(Duration.ofMillis(2000),
                    Duration.ofMillis(2500));
            assertThat(ProviderThrottle.backoff(4, Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(8));
            assertThat(ProviderThrottle.backoff(9, Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(8));
            assertThat(ProviderThrottle.backoff(9, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aThrottleWithAProviderCeilingPausesNoLongerThanIt() {
        ProviderException capped = ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                "VideoSDK's rate limit refused the call (HTTP 429)").answered(429, null).retryable(true)
            .backoffAtMost(Duration.ofSeconds(8)).build();
        for (int i = 0; i < 5; i++) {
            throttle.throttled(capped);
        }
        assertThat(throttle.throttled(capped)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void throttlesInARowLengthenThePauseAndAnAnswerStartsItAfresh() {
        assertThat(throttle.throttled(tencent60007())).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1250));
        assertThat(throttle.throttled(tencent60007())).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2500));
        throttle.answered();
        assertThat(throttle.throttled(tencent60007())).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1250));
    }

    @Test
    void retryAfterIsWhatTheProviderAskedForUpToTheCap() {
        assertThat(throttle.throttled(http429(Duration.ofMillis(300)))).isEqualTo(Duration.ofMillis(300));
        assertThat(throttle.throttled(http429(Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aOneMinuteLockOutIsHonouredWhole() {
        ProviderException lockedOut = ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                "Tencent locked us out after too many UserSig checks (70050)").answered(200, "70050")
            .retryAfter(Duration.ofSeconds(60)).build();
        assertThat(throttle.throttled(lockedOut)).isEqualTo(Duration.ofSeconds(60));
        advance(Duration.ofSeconds(59));
        assertThat(throttle.inForce()).isNotNull()
            .satisfies(refused -> assertThat(refused.toError().upstreamCode()).isEqualTo("70050"));
        advance(Duration.ofSeconds(1));
        assertThat(throttle.inForce()).isNull();
    }

    @Test
    void whileThePauseLastsACallFailsInTheProvidersTermsWithItsCode() {
        assertThat(throttle.inForce()).isNull();
        Duration pause = throttle.throttled(tencent60007());

        advance(Duration.ofMillis(400));
        ProviderException refused = throttle.inForce();
        assertThat(refused.status()).isEqualTo(ProviderStatus.RATE_LIMITED);
        assertThat(refused.code()).isEqualTo("UPSTREAM_RATE_LIMITED");
        assertThat(refused.toError().upstreamCode()).isEqualTo("60007");
        assertThat(refused.httpStatus()).isEqualTo(200);
        assertThat(refused.getMessage()).startsWith("Tencent's frequency limit for this REST API was exceeded (60007)")
            .contains("backing off from this instance for another " + (pause.toMillis() - 400) + " ms");
        // The refusal is a consequence, not a new answer of the provider: nothing to retry, no new pause.
        assertThat(refused.retryable()).isFalse();

        advance(pause);
        assertThat(throttle.inForce()).isNull();
    }

    @Test
    void eachThrottleIsCountedByTheProvidersLimit() {
        throttle.throttled(tencent60007());
        throttle.throttled(tencent60007());
        throttle.throttled(http429(null));

        assertThat(meters.get("roomgate.provider.throttles").tag("provider", "tencent-a").tag("limit", "60007")
            .counter().count()).isEqualTo(2);
        assertThat(meters.get("roomgate.provider.throttles").tag("limit", "HTTP_429").counter().count())
            .isEqualTo(1);
    }
}
