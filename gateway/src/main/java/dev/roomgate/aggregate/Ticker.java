package dev.roomgate.aggregate;

/**
 * The one source of monotonic time: deadlines, freshness, quotas and pacing all read it, so a test can drive them
 * all with one clock (a fake one, or Reactor's virtual time) instead of racing the machine's.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** The machine's monotonic clock: the only place in the application that reads it. */
    static Ticker system() {
        return System::nanoTime;
    }
}
