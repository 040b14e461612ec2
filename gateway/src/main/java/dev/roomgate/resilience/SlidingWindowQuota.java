package dev.roomgate.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * An outbound quota that holds in every sliding second, not only per fixed cycle: it remembers the start times of
 * the last N calls it let through (a ring), and the next call may start no earlier than one window after the call N
 * places before it. So no window of that length ever holds more than N starts. Starts are also paced at least
 * window/N apart: releasing N calls in one instant at each window's edge makes the provider (and our own threads)
 * see them in a heap, and arrival jitter then bunches more than N into some second at the provider's end.
 *
 * <p>A caller that would have to wait reserves its start time in the future and waits without blocking; the wait
 * is bounded by the caller. Provider throttling pauses the whole quota for a while.
 *
 * <p>In cluster mode a replica keeps to its allotment of the limit ({@link #allotTo}), which moves with the
 * replicas' demand: the ring holds the whole limit, and the allotment is how many of its last starts count.
 */
public final class SlidingWindowQuota {

    // Two calls started a window apart can still reach the provider a little closer together (scheduling and
    // network jitter), so the window is a little longer than the provider's second. Measured on a busy 2-core
    // machine, paced calls reached the emulated provider up to about 25 ms closer together than they started (see
    // the README's "Resilience policies"): twice that. Every millisecond of it costs goodput (limit / window).
    public static final Duration JITTER_GUARD = Duration.ofMillis(50);

    /** The window of one replica's own quota: the provider's second and the jitter guard. */
    public static final Duration WINDOW = Duration.ofSeconds(1).plus(JITTER_GUARD);

    private static final long NEVER = Long.MIN_VALUE / 4;

    // How far the pace makes up for grants that came late: a busy machine's timers fire a millisecond or more late,
    // which at 5 ms spacing cost a fifth of the quota when every late grant moved the pace back (measured: 156 calls/s
    // of 190 on a saturated core). 20 ms is a few calls' worth at 200/s and less than one at low limits.
    private static final long CATCH_UP_NANOS = Duration.ofMillis(20).toNanos();

    // The window as configured, and as it is now: longer by the lateness this replica has lately seen in its own
    // scheduling, since a machine that starts calls late also delivers them late, bunched with the next ones.
    private final long guardedWindowNanos;

    private long windowNanos;

    private long lateNanos;

    private long lateSeenAt;

    private long spacingNanos;

    private int allotted;

    private final long[] starts;

    // Actual start times by grant number: a call granted a slot may start late (a busy machine fires timers late),
    // and the window must hold for the times calls really start, not only for the times they were given.
    private final long[] actualStarts;

    private final long[] actualSequence;

    private long granted;

    private final LongSupplier nanoTime;

    private int oldest;

    private long latest = NEVER;

    private long pausedUntil = NEVER;

    public SlidingWindowQuota(int permitsPerSecond, LongSupplier nanoTime) {
        this(permitsPerSecond, WINDOW, nanoTime);
    }

    /** @param window the span no more than {@code permitsPerSecond} starts may fall in: a second and its margins */
    public SlidingWindowQuota(int permitsPerSecond, Duration window, LongSupplier nanoTime) {
        this.guardedWindowNanos = window.toNanos();
        this.windowNanos = guardedWindowNanos;
        this.allotted = permitsPerSecond;
        this.spacingNanos = windowNanos / permitsPerSecond;
        this.starts = new long[permitsPerSecond];
        this.actualStarts = new long[permitsPerSecond];
        this.actualSequence = new long[permitsPerSecond];
        this.nanoTime = nanoTime;
        Arrays.fill(starts, NEVER);
        Arrays.fill(actualSequence, -1);
    }

    /**
     * A granted start.
     * @param sequence the grant's number
     * @param delay how long to wait before starting
     * @param replacedStart the ring's value this grant overwrote, to restore if it is given back
     * @param previousLatest when the grant before this one was due by the pace, likewise
     */
    public record Permit(long sequence, Duration delay, long replacedStart, long previousLatest, long start) {
    }

    /**
     * Reserves the earliest start time the quota allows.
     * @param maxWait the longest the caller can wait
     * @return the permit, or null (nothing reserved) when its wait would be longer than {@code maxWait}
     */
    public synchronized Permit reserve(Duration maxWait) {
        long now = nanoTime.getAsLong();
        long due = due(now);
        long start = Math.max(now, due);
        if (start - now > maxWait.toNanos()) {
            return null;
        }
        Permit permit = new Permit(granted++, Duration.ofNanos(start - now), starts[oldest], latest, start);
        starts[oldest] = start;
        oldest = (oldest + 1) % starts.length;
        latest = due;
        return permit;
    }

    /** How long until the quota would let the next call start; zero when one may start now. Reserves nothing. */
    public synchronized Duration untilNextStart() {
        long now = nanoTime.getAsLong();
        return Duration.ofNanos(earliestStart(now) - now);
    }

    /** The shortest time between two starts: the pace at which the quota grants when it is contended. */
    public synchronized Duration spacing() {
        return Duration.ofNanos(spacingNanos);
    }

    /**
     * Keeps to {@code permits} starts per window from now on (at least 1, at most the limit). Lowering it holds the
     * next start back until the window holds fewer than that many; raising it lets calls start at once.
     */
    public synchronized void allotTo(int permits) {
        allotted = Math.max(1, Math.min(starts.length, permits));
        spacingNanos = windowNanos / allotted;
    }

    /**
     * Says that something this quota timed ran {@code late} after it was due (a timer that fired late, a granted
     * call that started late): for a while the window is longer by as much, so that calls this machine sends late,
     * and so bunched, still reach the provider no more than the limit in any second; lateness up to
     * {@link #LATE_COVERED} does not count, the jitter guard is there for it. The lateness counts at its
     * greatest for {@link #LATE_HALF_LIFE} and then weighs half as much every as long again, up to {@link #LATE_MAX}.
     */
    public synchronized void lateBy(Duration late) {
        seeLate(late.toNanos(), nanoTime.getAsLong());
    }

    /** How much longer than configured the window is now, for the lateness lately seen. */
    public synchronized Duration lateMargin() {
        return Duration.ofNanos(windowNanos - guardedWindowNanos);
    }

    /** Lateness that widens the window: the most in recent seconds, fading after {@link #LATE_HALF_LIFE}. */
    public static final Duration LATE_HALF_LIFE = Duration.ofSeconds(5);

    /**
     * Lateness the jitter guard already covers (half of it, about the spread measured): a timer a few ms late is
     * ordinary on a busy machine, and widening the window for it cost 5 % of the quota under contention.
     */
    public static final Duration LATE_COVERED = JITTER_GUARD.dividedBy(2);

    /** The most the window widens for lateness: a machine that far behind is slowed, never stopped. */
    public static final Duration LATE_MAX = Duration.ofMillis(500);

    private void seeLate(long late, long now) {
        long since = now - lateSeenAt;
        long faded = since <= LATE_HALF_LIFE.toNanos() ? lateNanos
                : (long) (lateNanos * Math.pow(0.5, (double) (since - LATE_HALF_LIFE.toNanos())
                        / LATE_HALF_LIFE.toNanos()));
        long seen = Math.min(LATE_MAX.toNanos(), Math.max(0, late - LATE_COVERED.toNanos()));
        if (seen >= faded) {
            lateNanos = seen;
            lateSeenAt = now;
        }
        else if (faded != lateNanos) {
            lateNanos = faded;
            lateSeenAt = now - LATE_HALF_LIFE.toNanos();
        }
        windowNanos = guardedWindowNanos + lateNanos;
        spacingNanos = windowNanos / allotted;
    }

    /** The starts per window it keeps to now: the limit, or in cluster mode this replica's allotment of it. */
    public synchronized int allotted() {
        return allotted;
    }

    private long earliestStart(long now) {
        return Math.max(now, due(now));
    }

    /**
     * When the next call is due by the pace and the window, which may be a little in the past: the pace keeps its
     * own clock, so a grant that came late (a timer that fired late on a busy machine) is made up by the next ones
     * instead of pushing every later start back by as much. Only lateness up to {@code CATCH_UP_NANOS} is made up,
     * so that catching up is never more than a few calls together; after a longer gap the pace starts again from
     * now. The window counts real starts either way.
     */
    private long due(long now) {
        long paced = latest + spacingNanos;
        if (paced < now - CATCH_UP_NANOS) {
            paced = now;
        }
        return Math.max(paced, Math.max(countedBack(allotted) + windowNanos, pausedUntil));
    }

    /** The start reserved {@code places} grants before the next one. */
    private long countedBack(int places) {
        return starts[(oldest - places + starts.length) % starts.length];
    }

    /**
     * Gives back a permit whose call will not start (its caller left while waiting). Only the latest grant can be
     * taken back exactly; an older one stays spent, which errs on the side of fewer calls.
     */
    public synchronized void release(Permit permit) {
        if (permit.sequence() == granted - 1) {
            oldest = (oldest - 1 + starts.length) % starts.length;
            starts[oldest] = permit.replacedStart();
            latest = permit.previousLatest();
            granted--;
        }
    }

    /**
     * Records that a permitted call is starting now, and says how much longer it must still wait because the call
     * N grants earlier really started later than it was given to.
     */
    public synchronized Duration starting(Permit permit) {
        long now = nanoTime.getAsLong();
        int slot = (int) (permit.sequence() % actualStarts.length);
        // A pause that began after the permit was granted still holds it back: the provider said "too many" since.
        long earliest = Math.max(now, pausedUntil);
        long back = permit.sequence() - allotted;
        int backSlot = (int) (Math.max(0, back) % actualStarts.length);
        if (back >= 0 && actualSequence[backSlot] == back) {
            earliest = Math.max(earliest, actualStarts[backSlot] + windowNanos);
        }
        actualStarts[slot] = earliest;
        actualSequence[slot] = permit.sequence();
        reservedNoEarlierThan(permit, earliest);
        return Duration.ofNanos(earliest - now);
    }

    /**
     * Says that a permitted call will not start after all (it could not wait as long as {@link #starting} said),
     * so that the call a window after it is not held back for a start that never happened. Its place in the
     * window stays spent.
     */
    public synchronized void notStarting(Permit permit) {
        int slot = (int) (permit.sequence() % actualStarts.length);
        if (actualSequence[slot] == permit.sequence()) {
            actualSequence[slot] = -1;
        }
        if (holdsItsPlace(permit)) {
            starts[(int) (permit.sequence() % starts.length)] = permit.start();
        }
    }

    /**
     * Records that a permitted call's request has really gone out now: later than it started when a connection had
     * to be opened or the machine was busy. The call a window later is then held back from this time, as from a
     * late start.
     */
    public synchronized void sent(Permit permit) {
        int slot = (int) (permit.sequence() % actualStarts.length);
        if (actualSequence[slot] == permit.sequence()) {
            actualStarts[slot] = Math.max(actualStarts[slot], nanoTime.getAsLong());
            reservedNoEarlierThan(permit, actualStarts[slot]);
        }
    }

    /**
     * A call that really starts (or goes out) later than its permit said moves its place in the ring to then, so
     * that the grants a window after it wait for it instead of being granted on time and then held back in
     * {@link #starting}. Held back there, every generation of calls would add its own lateness to the last's:
     * under steady contention the starts fall further and further behind the grants (by the time each call
     * spends between its permit and its request, such as the round trip for the shared quota), until every
     * call's budget is spent waiting. Moved here, the grants follow the real starts and lateness never adds up.
     */
    private void reservedNoEarlierThan(Permit permit, long at) {
        if (holdsItsPlace(permit)) {
            int place = (int) (permit.sequence() % starts.length);
            starts[place] = Math.max(starts[place], at);
        }
    }

    /** A grant's place in the ring is its number modulo the ring's size, until a grant a whole ring later takes it. */
    private boolean holdsItsPlace(Permit permit) {
        return granted - permit.sequence() <= starts.length && permit.sequence() < granted;
    }

    /**
     * Records a call that started now on another authority's permit (the quota shared with other replicas), so
     * that, should this quota have to decide alone, it counts what this replica already sent.
     */
    public synchronized void recordStart() {
        long now = nanoTime.getAsLong();
        long sequence = granted++;
        starts[oldest] = now;
        oldest = (oldest + 1) % starts.length;
        latest = Math.max(latest, now);
        int slot = (int) (sequence % actualStarts.length);
        actualStarts[slot] = now;
        actualSequence[slot] = sequence;
    }

    /** Stops granting for a while: the provider said we are calling too often. */
    public synchronized void pause(Duration duration) {
        pausedUntil = Math.max(pausedUntil, nanoTime.getAsLong() + duration.toNanos());
    }

    /** Calls that could start right now without waiting (for the gauge). */
    public synchronized int available() {
        long now = nanoTime.getAsLong();
        if (pausedUntil > now) {
            return 0;
        }
        int free = 0;
        for (int places = 1; places <= allotted; places++) {
            if (countedBack(places) + windowNanos <= now) {
                free++;
            }
        }
        return free;
    }

    public int limit() {
        return starts.length;
    }
}
