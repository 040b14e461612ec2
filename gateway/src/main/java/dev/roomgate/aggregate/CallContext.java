package dev.roomgate.aggregate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.roomgate.config.ProviderInstance;

/**
 * The state of one instance's part in one client request: its deadline, and how many upstream calls were repeated.
 * Created per request and instance, so the counts it reports are exact.
 */
public final class CallContext {

    private final ProviderInstance instance;

    private final long deadlineNanos;

    private final AtomicInteger retries = new AtomicInteger();

    private CallContext(ProviderInstance instance, long deadlineNanos) {
        this.instance = instance;
        this.deadlineNanos = deadlineNanos;
    }

    public static CallContext startingNow(ProviderInstance instance, Duration budget) {
        return new CallContext(instance, System.nanoTime() + budget.toNanos());
    }

    public ProviderInstance instance() {
        return instance;
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    public int retries() {
        return retries.get();
    }

    /** Called by the resilience policy for each upstream call it lets through. */
    public void recordAttempt(boolean isRetry) {
        if (isRetry) {
            retries.incrementAndGet();
        }
    }
}
