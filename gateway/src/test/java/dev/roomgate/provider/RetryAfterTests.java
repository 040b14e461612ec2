package dev.roomgate.provider;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider's Retry-After, read without our clock: seconds as they are, a date against the reply's own Date. */
class RetryAfterTests {

    static final String DATE = "Fri, 04 Dec 2026 20:00:00 GMT";

    @Test
    void secondsAreTakenAsTheyAre() {
        assertThat(HttpFailures.retryAfter("7", null)).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpFailures.retryAfter(" 0 ", DATE)).isEqualTo(Duration.ZERO);
        assertThat(HttpFailures.retryAfter("-3", DATE)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aDateIsMeasuredAgainstTheReplysOwnDate() {
        // The provider's clock may be hours off ours: only the difference between its two dates counts.
        assertThat(HttpFailures.retryAfter("Fri, 04 Dec 2026 20:00:42 GMT", DATE)).isEqualTo(Duration.ofSeconds(42));
        assertThat(HttpFailures.retryAfter("Fri, 04 Dec 2026 19:59:00 GMT", DATE)).isEqualTo(Duration.ZERO);
    }

    @Test
    void whatCannotBeMeasuredIsNoWait() {
        assertThat(HttpFailures.retryAfter(null, DATE)).isNull();
        assertThat(HttpFailures.retryAfter("  ", DATE)).isNull();
        assertThat(HttpFailures.retryAfter("soon", DATE)).isNull();
        assertThat(HttpFailures.retryAfter("Fri, 04 Dec 2026 20:00:42 GMT", null)).isNull();
        assertThat(HttpFailures.retryAfter("Fri, 04 Dec 2026 20:00:42 GMT", "yesterday")).isNull();
    }
}
