package dev.roomgate.resilience;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTests {

    private final AtomicLong now = new AtomicLong(5_000_000_000_000L);

    private final RetryBudget budget = new RetryBudget(20, 2, now::get);

    private int retriesGranted(int asked) {
        int granted = 0;
        for (int i = 0; i < asked; i++) {
            if (budget.tryAcquireRetry()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void allowsTheFloorPlusAShareOfFirstAttempts() {
        for (int i = 0; i < 50; i++) {
            budget.recordFirstAttempt();
        }
        assertThat(retriesGranted(100)).as("2 + 20% of 50").isEqualTo(12);
    }

    @Test
    void anOutageCannotMultiplyTheLoad() {
        int calls = 0;
        for (int second = 0; second < 10; second++) {
            for (int i = 0; i < 100; i++) {
                budget.recordFirstAttempt();
                calls++;
                // Every call fails and wants its two retries.
                calls += retriesGranted(2);
            }
            now.addAndGet(1_000_000_000L);
        }
        assertThat(calls).as("at most 1.2x plus the floor, not 3x").isLessThanOrEqualTo(1000 + 200 + 2);
    }

    @Test
    void forgetsWhatIsOlderThanTenSeconds() {
        for (int i = 0; i < 50; i++) {
            budget.recordFirstAttempt();
        }
        assertThat(retriesGranted(100)).isEqualTo(12);
        now.addAndGet(11_000_000_000L);
        assertThat(retriesGranted(100)).as("only the floor once the window is empty").isEqualTo(2);
    }
}
