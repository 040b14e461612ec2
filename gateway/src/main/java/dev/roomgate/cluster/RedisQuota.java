package dev.roomgate.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.roomgate.resilience.SharedQuota;
import dev.roomgate.resilience.SlidingWindowQuota;

/**
 * One provider instance's quota, shared by every replica through a sliding log in Redis (quota-lease.lua), timed
 * by the Redis server's clock only.
 *
 * <p>A replica leases a few permits per round trip, as many as it has callers waiting (up to a maximum), and may
 * start calls on them for a short validity measured from when it sent the request, on its own monotonic clock. A
 * permit's call therefore starts at most that validity after the time Redis recorded it, so Redis counts a window
 * that much longer than the provider's second (plus the same jitter guard as the local quota): then no sliding
 * second at the provider holds more than the limit, across all replicas, whatever their clocks say. Permits left
 * unused when a lease ends stay counted; wanting only what is waiting keeps that waste small.
 *
 * <p>When Redis cannot be asked, this replica's fixed share (limit / expected replicas) decides instead. The share
 * also records every call started on a Redis permit, so switching to it never lets this replica exceed its share
 * in the second the switch happens.
 *
 * <p>One lease round trip is in flight at a time and every caller that needs permits waits for its reply, so that
 * reply must come: a round trip still unsettled after {@value #OVERDUE_AFTER_TIMEOUTS} Redis timeouts (its own
 * timeout failed to end it) is abandoned by the next caller, counted as a failed {@code quota_overdue} call, and its
 * waiters ask again or, when that sets Redis aside, keep to the local share. No foreign code runs under this
 * object's lock: a Redis client that calls back on another thread while it holds a lock of its own cannot deadlock
 * with it.
 */
public final class RedisQuota implements SharedQuota {

    static final int OVERDUE_AFTER_TIMEOUTS = 4;

    private final RedisScripts scripts;

    private final RedisLink link;

    private final String key;

    private final String limit;

    private final String windowMicros;

    private final long leaseNanos;

    private final Duration window;

    private final int maxLease;

    private final Grant localShare;

    private final SlidingWindowQuota share;

    private final String holder;

    private final LongSupplier nanoTime;

    private final long overdueNanos;

    private final AtomicLong leaseCount = new AtomicLong();

    private final AtomicInteger wanting = new AtomicInteger();

    private final Deque<Lease> leases = new ArrayDeque<>();

    private RoundTrip pending;

    /**
     * @param settings the shared window's terms
     * @param key the instance's sliding log in Redis
     * @param holder this replica's id, unique across replicas
     */
    public RedisQuota(RedisScripts scripts, RedisLink link, Settings settings, String key, String holder,
            LongSupplier nanoTime) {
        this.scripts = scripts;
        this.link = link;
        this.key = key;
        this.holder = holder;
        this.nanoTime = nanoTime;
        this.limit = Integer.toString(settings.limit());
        this.window = SlidingWindowQuota.WINDOW.plus(settings.leaseFor());
        this.windowMicros = Long.toString(window.toNanos() / 1000);
        this.leaseNanos = settings.leaseFor().toNanos();
        this.maxLease = settings.maxLease();
        this.share = new SlidingWindowQuota(Math.max(1, settings.limit() / settings.expectedReplicas()), nanoTime);
        this.localShare = Grant.localShare(share, this::recordLocalStart);
        this.overdueNanos = scripts.timeout().multipliedBy(OVERDUE_AFTER_TIMEOUTS).toNanos();
    }

    /**
     * @param limit calls per second to the instance, from all replicas together
     * @param expectedReplicas how many replicas share it when each must decide alone
     * @param leaseFor how long leased permits may be used
     * @param maxLease the most permits one round trip leases
     */
    public record Settings(int limit, int expectedReplicas, Duration leaseFor, int maxLease) {
    }

    /** Permits leased in one reply, usable until {@code validUntil} on this replica's clock. */
    private static final class Lease {

        private int left;

        private final long validUntil;

        private Lease(int left, long validUntil) {
            this.left = left;
            this.validUntil = validUntil;
        }
    }

    /** The lease request in flight: its waiters, when it was sent, and the call to cancel if it never settles. */
    private static final class RoundTrip {

        private final Sinks.One<Reply> reply = Sinks.one();

        private final long sent;

        private volatile Disposable call;

        private RoundTrip(long sent) {
            this.sent = sent;
        }
    }

    /** What Redis said: permits granted, or how long until one frees; {@code UNAVAILABLE} when it said nothing. */
    private record Reply(int granted, long waitNanos) {

        static final Reply UNAVAILABLE = new Reply(-1, 0);

        /** Redis was slow this time but is not gone: ask again shortly, within the caller's wait. */
        static final Reply AGAIN = new Reply(0, Duration.ofMillis(5).toNanos());
    }

    @Override
    public Mono<Grant> acquire(Duration maxWait) {
        return Mono.defer(() -> attempt(nanoTime.getAsLong() + maxWait.toNanos()));
    }

    @Override
    public Duration window() {
        return window;
    }

    /** The share this replica keeps to while Redis cannot be asked. */
    public SlidingWindowQuota share() {
        return share;
    }

    private Mono<Grant> attempt(long deadline) {
        if (!link.usable()) {
            return Mono.just(localShare);
        }
        if (takeLeased()) {
            share.recordStart();
            return Mono.just(Grant.GRANTED);
        }
        if (nanoTime.getAsLong() - deadline > 0) {
            return Mono.just(Grant.REFUSED);
        }
        wanting.incrementAndGet();
        return lease().doFinally(signal -> wanting.decrementAndGet()).flatMap(reply -> {
            if (reply == Reply.UNAVAILABLE) {
                return Mono.just(localShare);
            }
            if (reply.granted() > 0) {
                return Mono.defer(() -> attempt(deadline));
            }
            if (nanoTime.getAsLong() + reply.waitNanos() - deadline > 0) {
                return Mono.just(Grant.REFUSED);
            }
            return Mono.delay(Duration.ofNanos(reply.waitNanos())).then(Mono.defer(() -> attempt(deadline)));
        });
    }

    /**
     * A call the local share let start is still recorded in Redis where Redis takes it, when it starts: a replica
     * that has set Redis aside while others still reach it then still shows them its calls. Where Redis is down
     * this fails at once; the link has heard of it, so there is nothing more to do here.
     */
    private void recordLocalStart() {
        String members = holder + ":" + leaseCount.incrementAndGet();
        scripts.run("quota", RedisScripts.QUOTA_LEASE, List.of(key), limit, windowMicros, "1", members, "1")
            .subscribe(recorded -> { }, reported -> { });
    }

    private synchronized boolean takeLeased() {
        long now = nanoTime.getAsLong();
        while (!leases.isEmpty() && (leases.peekFirst().left == 0 || now - leases.peekFirst().validUntil >= 0)) {
            leases.removeFirst();
        }
        Lease lease = leases.peekFirst();
        if (lease == null) {
            return false;
        }
        lease.left--;
        return true;
    }

    /** One round trip at a time per replica; callers arriving meanwhile wait for its reply. */
    private Mono<Reply> lease() {
        RoundTrip trip;
        RoundTrip overdue;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (pending != null && now - pending.sent < overdueNanos) {
                return pending.reply.asMono();
            }
            overdue = pending;
            // Validity counts from sending: Redis stamps the permits later than this, never earlier.
            trip = new RoundTrip(now);
            pending = trip;
        }
        if (overdue != null && abandon(overdue)) {
            settle(trip, Reply.UNAVAILABLE);
            return Mono.just(Reply.UNAVAILABLE);
        }
        send(trip);
        return trip.reply.asMono();
    }

    private void send(RoundTrip trip) {
        int want = Math.min(maxLease, Math.max(1, wanting.get()));
        String members = holder + ":" + leaseCount.incrementAndGet();
        trip.call = scripts.run("quota", RedisScripts.QUOTA_LEASE, List.of(key), limit, windowMicros,
                Integer.toString(want), members, "0")
            .map(values -> received(values, want, trip.sent))
            .onErrorResume(error -> Mono.just(link.usable() ? Reply.AGAIN : Reply.UNAVAILABLE))
            .defaultIfEmpty(Reply.AGAIN)
            .subscribe(reply -> settle(trip, reply), unexpected -> settle(trip, Reply.AGAIN));
    }

    /**
     * Ends a round trip whose reply never came, as a timeout sent when it was.
     * @return whether Redis is now set aside
     */
    private boolean abandon(RoundTrip overdue) {
        Disposable call = overdue.call;
        if (call != null) {
            call.dispose();
        }
        boolean gone = link.failed("quota_overdue", new TimeoutException("lease reply overdue"), overdue.sent);
        overdue.reply.tryEmitValue(gone ? Reply.UNAVAILABLE : Reply.AGAIN);
        return gone;
    }

    /**
     * A reply is used only if it is one quota-lease.lua can give: at most the permits asked for, and a wait only
     * when none were granted, within the window. Anything else is ignored (counted, logged at debug) and this call
     * is judged by the local share, as if Redis had said nothing; Redis is not set aside for it.
     */
    private Reply received(List<Object> values, int want, long sent) {
        long[] numbers = link.numbers(values, 2, "quota_reply");
        if (numbers == null) {
            return Reply.UNAVAILABLE;
        }
        long granted = numbers[0];
        long waitMicros = numbers[1];
        boolean valid = granted > 0 ? granted <= want && waitMicros == 0
                : granted == 0 && waitMicros > 0 && waitMicros <= Long.parseLong(windowMicros);
        if (!valid) {
            link.ignored("quota_reply", "granted " + granted + " of " + want + ", wait " + waitMicros + " µs");
            return Reply.UNAVAILABLE;
        }
        if (values.size() > 2) {
            link.ignored("quota_log", "entries the script never writes, removed");
        }
        if (granted > 0) {
            synchronized (this) {
                leases.addLast(new Lease((int) granted, sent + leaseNanos));
            }
        }
        return new Reply((int) granted, waitMicros * 1000);
    }

    private void settle(RoundTrip trip, Reply reply) {
        synchronized (this) {
            if (pending == trip) {
                pending = null;
            }
        }
        trip.reply.tryEmitValue(reply);
    }
}
