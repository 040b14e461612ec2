package dev.roomgate.aggregate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The time one instance's part of a request may take, and the rules for spending it: turned into a deadline once,
 * when the part starts, then asked by every stage (cache, cluster, retries, attempts, quota waits) instead of each
 * computing its own. Sub-stages do not know when the request began; the deadline does.
 * <p>
 * Immutable apart from the count of repeated upstream calls, which is per lookup so that the count an answer
 * reports is exact.
 */
public final class CallBudget {

    /**
     * No attempt starts, and no retry is planned, with less than this left: it could not finish, and would only
     * spend quota. Less than this left also means the budget was used up.
     */
    public static final Duration MIN_ATTEMPT = Duration.ofMillis(50);

    /** How far past the deadline the backstop lies: far enough that the policy's own deadlines always fire first. */
    private static final Duration BACKSTOP_MARGIN = Duration.ofMillis(100);

    private final Ticker ticker;

    private final Duration total;

    private final long deadlineNanos;

    private final QuotaClaim claim;

    // The room (and whether with participants) this lookup is for, or null: the quota learns what each takes.
    private final String lookupKey;

    private final AtomicInteger retries = new AtomicInteger();

    private final AtomicInteger calls = new AtomicInteger();

    private CallBudget(Ticker ticker, Duration total, long deadlineNanos, QuotaClaim claim, String lookupKey) {
        this.ticker = ticker;
        this.total = total;
        this.deadlineNanos = deadlineNanos;
        this.claim = claim;
        this.lookupKey = lookupKey;
    }

    /** A budget of {@code total} from now, spent in nobody's name in particular ({@link QuotaClaim#DEFAULT}). */
    public static CallBudget start(Ticker ticker, Duration total) {
        return start(ticker, total, QuotaClaim.DEFAULT);
    }

    /** A budget of {@code total} from now, whose quota is spent in {@code claim}'s name. */
    public static CallBudget start(Ticker ticker, Duration total, QuotaClaim claim) {
        return new CallBudget(ticker, total, ticker.nanoTime() + total.toNanos(), claim, null);
    }

    /** This budget, for the lookup of one room at one instance (nothing spent of it yet). */
    public CallBudget forLookupOf(RoomQuery query) {
        return new CallBudget(ticker, total, deadlineNanos, claim,
                query.roomId() + (query.includeParticipants() ? "+participants" : ""));
    }

    /** The room this lookup is for, with or without participants; null when nobody said. */
    public String lookupKey() {
        return lookupKey;
    }

    /** This request's part at one instance: the shorter of what is left and the instance's own timeout. */
    public CallBudget forInstance(Duration instanceTimeout) {
        Duration left = remaining();
        return start(ticker, instanceTimeout.compareTo(left) < 0 ? instanceTimeout : left, claim);
    }

    /**
     * A lookup shared by every request that joins it runs with the instance's whole timeout, not the first
     * requester's remainder: a request that arrived late must not cut short the answer everyone else waits for.
     * Each requester still waits only within its own budget.
     */
    public CallBudget forSharedLookup(Duration instanceTimeout) {
        return new CallBudget(ticker, instanceTimeout, ticker.nanoTime() + instanceTimeout.toNanos(), claim,
                lookupKey);
    }

    /**
     * The outer limit on a whole lookup. The attempt deadlines inside the call policy end an instance's work on
     * time; this only catches a client that ignores them, so it must never be the one that fires first.
     */
    public Duration backstop() {
        return remaining().plus(BACKSTOP_MARGIN);
    }

    /** What this budget was when it started, for messages ("no answer within 2s"). */
    public Duration total() {
        return total;
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - ticker.nanoTime()));
    }

    /** The budget is used up: what is left could not fit another attempt. */
    public boolean isSpent() {
        return remaining().compareTo(MIN_ATTEMPT) <= 0;
    }

    /** An attempt's deadline: its own timeout, or what is left when that is shorter. */
    public Duration attemptTimeout(Duration perAttempt) {
        Duration left = remaining();
        return perAttempt.compareTo(left) <= 0 ? perAttempt : left;
    }

    /** A retry after {@code pause} would still start with at least {@link #MIN_ATTEMPT} left. */
    public boolean allowsAnotherAttempt(Duration pause) {
        return remaining().minus(pause).compareTo(MIN_ATTEMPT) >= 0;
    }

    /**
     * How long a call may wait for a quota permit and still get a fair attempt: a call started with a sliver of
     * budget times out, and would count against a healthy provider. Negative when no wait at all leaves room.
     */
    public Duration waitAllowance(Duration perAttempt) {
        return waitAllowance(remaining(), perAttempt);
    }

    /** {@link #waitAllowance(Duration)} for a part of the budget, such as what a redirect's attempt has left. */
    public static Duration waitAllowance(Duration remaining, Duration perAttempt) {
        Duration half = remaining.dividedBy(2);
        Duration attempt = perAttempt.compareTo(half) <= 0 ? perAttempt : half;
        return remaining.minus(attempt.compareTo(MIN_ATTEMPT) > 0 ? attempt : MIN_ATTEMPT);
    }

    /** The ticker this budget reads, for stages that time their own sub-deadlines against it. */
    public Ticker ticker() {
        return ticker;
    }

    public int retries() {
        return retries.get();
    }

    /** Whose quota share this lookup spends. */
    public QuotaClaim claim() {
        return claim;
    }

    /**
     * The lookup already started an upstream call: its next call (a page, a retry) continues work the quota paid
     * for, and goes before lookups that have not started.
     */
    public boolean hasStarted() {
        return calls.get() > 0;
    }

    /** Upstream calls the policy let through for this lookup so far, retries and pages included. */
    public int calls() {
        return calls.get();
    }

    /** Called by the call policy for each upstream call it lets through. */
    public void recordAttempt(boolean isRetry) {
        calls.incrementAndGet();
        if (isRetry) {
            retries.incrementAndGet();
        }
    }
}
