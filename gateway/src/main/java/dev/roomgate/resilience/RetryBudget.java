package dev.roomgate.resilience;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of first attempts over the last ten seconds, plus a small floor, so that an outage cannot
 * multiply the load on a provider: once most calls fail, most retries are refused and the calls fail fast.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private static final long BUCKET_NANOS = 1_000_000_000L;

    private final int percent;

    private final int minRetries;

    private final LongSupplier nanoTime;

    private final long[] bucketIndex = new long[BUCKETS];

    private final int[] firstAttempts = new int[BUCKETS];

    private final int[] retries = new int[BUCKETS];

    public RetryBudget(int percent, int minRetries, LongSupplier nanoTime) {
        this.percent = percent;
        this.minRetries = minRetries;
        this.nanoTime = nanoTime;
        Arrays.fill(bucketIndex, Long.MIN_VALUE);
    }

    public synchronized void recordFirstAttempt() {
        firstAttempts[current()]++;
    }

    /** Takes one retry from the budget, if there is one left. */
    public synchronized boolean tryAcquireRetry() {
        int bucket = current();
        long oldestCounted = bucketIndex[bucket] - BUCKETS;
        long firsts = 0;
        long retried = 0;
        for (int i = 0; i < BUCKETS; i++) {
            // A bucket not reused for ten seconds still holds old counts: they are outside the window.
            if (bucketIndex[i] > oldestCounted) {
                firsts += firstAttempts[i];
                retried += retries[i];
            }
        }
        if (retried >= minRetries + firsts * percent / 100) {
            return false;
        }
        retries[bucket]++;
        return true;
    }

    private int current() {
        long index = nanoTime.getAsLong() / BUCKET_NANOS;
        int bucket = (int) Math.floorMod(index, (long) BUCKETS);
        if (bucketIndex[bucket] != index) {
            // A bucket from more than ten seconds ago: forget it.
            bucketIndex[bucket] = index;
            firstAttempts[bucket] = 0;
            retries[bucket] = 0;
        }
        return bucket;
    }
}
