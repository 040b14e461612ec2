package dev.roomgate.emulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Faults configured by a test, read by the dispatcher threads. One lock keeps each change atomic: a test that sets
 * "fail the next 3" must see exactly 3 failures even when requests arrive in parallel.
 */
final class Faults {

    /** Long enough that no test waits it out; MockWebServer.close() interrupts it. */
    static final Duration HANG = Duration.ofMinutes(10);

    private Duration delay = Duration.ZERO;

    private boolean hang;

    private Reply everyReply;

    /** While set and not released, replies wait for it: a test decides when the provider answers. */
    private CountDownLatch gate;

    private Reply nextReply;

    private int nextRemaining;

    synchronized void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        this.delay = delay;
    }

    synchronized void hang() {
        this.hang = true;
    }

    /** Holds every reply from now on until {@link #release()}; the calls still count when they arrive. */
    synchronized void hold() {
        if (gate == null || gate.getCount() == 0) {
            gate = new CountDownLatch(1);
        }
    }

    /** Lets held replies and later ones go. */
    synchronized void release() {
        if (gate != null) {
            gate.countDown();
        }
    }

    /**
     * Waits, outside the lock, while replies are held. Bounded by {@link #HANG} so a test that forgets to release
     * fails on its own timeout instead of leaving threads behind; MockWebServer.close() interrupts it.
     */
    void awaitRelease() throws InterruptedException {
        CountDownLatch held;
        synchronized (this) {
            held = gate;
        }
        if (held != null) {
            held.await(HANG.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void failEvery(Reply reply) {
        this.everyReply = Objects.requireNonNull(reply);
    }

    synchronized void failNext(int times, Reply reply) {
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative: " + times);
        }
        this.nextRemaining = times;
        this.nextReply = Objects.requireNonNull(reply);
    }

    synchronized void clear() {
        release();
        gate = null;
        delay = Duration.ZERO;
        hang = false;
        everyReply = null;
        nextReply = null;
        nextRemaining = 0;
    }

    /** The injected reply for the request being dispatched now, or null for normal behaviour. Consumes one "next". */
    synchronized Reply takeFailure() {
        if (everyReply != null) {
            return everyReply;
        }
        if (nextRemaining > 0) {
            nextRemaining--;
            return nextReply;
        }
        return null;
    }

    synchronized Duration headersDelay() {
        return hang ? HANG : delay;
    }
}
