package dev.roomgate.emulator;

import java.time.Duration;
import java.util.Objects;

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
