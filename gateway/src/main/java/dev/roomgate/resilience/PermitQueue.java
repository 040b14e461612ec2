package dev.roomgate.resilience;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.config.Priority;

/**
 * Decides who gets an instance's next quota permit when more calls want one than its {@link SlidingWindowQuota}
 * grants. Our own because no library schedules a sliding-window quota by class and weight: Resilience4j's
 * RateLimiter and Bucket4j both serve waiters in arrival order, which is what let a greedy client spend the quota
 * for everyone and let lookups start that could never finish.
 *
 * <p>Order: {@link Lane#CONTINUATION} first (the next pages and retries of lookups that already spent a permit, so
 * that a permit spent is never wasted), then {@link Lane#INTERACTIVE}, then {@link Lane#BACKGROUND}. Within a lane,
 * stride scheduling over clients: each waiting client advances by 1/share per permit and the one furthest behind is
 * served next, so contended permits split in proportion to the shares of the clients that are waiting, and a client
 * that asks less than its share gets all it asks. A client that starts waiting joins at the lane's current pace,
 * neither owed nor owing for the time it did not wait.
 *
 * <p>A lookup's first call is admitted only when the instance can pay, within its deadline, for the calls it will
 * take behind the continuations already waiting: what the last lookup of the same room took (a paged listing's
 * length is the room's), else what lookups here take on average. One that could not finish spends nothing. Nobody waits when nobody else does and the quota can start the call now. The queue is
 * bounded; past it a call is refused at once.
 *
 * <p>Permits are handed out by a timer set for when the quota next lets a call start, on Reactor's parallel
 * scheduler, so tests run it in virtual time.
 */
public final class PermitQueue {

    /** Where a call waits for its permit; lanes are served strictly in this order. */
    public enum Lane {

        CONTINUATION, INTERACTIVE, BACKGROUND;

        /** A call of a lookup that already started continues it; otherwise its client's priority decides. */
        public static Lane of(CallBudget budget) {
            if (budget.hasStarted()) {
                return CONTINUATION;
            }
            return budget.claim().priority() == Priority.BACKGROUND ? BACKGROUND : INTERACTIVE;
        }

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why the queue refused a call without a permit; the call policy words it for the answer. */
    public static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Lane lane;

        Refused(Lane lane, String detail) {
            super(detail, null, false, false);
            this.lane = lane;
        }

        public Lane lane() {
            return lane;
        }
    }

    private final SlidingWindowQuota quota;

    private final int maxQueued;

    private final LongSupplier nanoTime;

    private final PermitMeters meters;

    private final Map<Lane, LaneQueue> lanes = new EnumMap<>(Lane.class);

    private final CallsPerLookup callsPerLookup = new CallsPerLookup();

    private final CallsPerRoom callsPerRoom = new CallsPerRoom();

    private Asked asked = new Asked();

    private int queued;

    private boolean timerSet;

    private long timerDue;

    public PermitQueue(SlidingWindowQuota quota, int maxQueued, LongSupplier nanoTime, PermitMeters meters) {
        this.quota = quota;
        this.maxQueued = maxQueued;
        this.nanoTime = nanoTime;
        this.meters = meters;
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new LaneQueue());
        }
    }

    /**
     * A permit of the quota for one call, granted when the order above reaches it, or {@link Refused}: when the
     * queue is full, when the wait for its turn would already be longer than {@code allowance}, when it waited
     * that long, or when a lookup's first call could not be paid for in time. Cancelling leaves the queue.
     *
     * @param allowance how long the call could still wait and then finish, asked again whenever it is its turn
     */
    public Mono<SlidingWindowQuota.Permit> acquire(CallBudget budget, Lane lane, Supplier<Duration> allowance) {
        return acquire(budget.claim(), budget, lane, allowance);
    }

    /** As {@link #acquire(CallBudget, Lane, Supplier)}, for a call of no lookup in particular. */
    public Mono<SlidingWindowQuota.Permit> acquire(QuotaClaim claim, Lane lane, Supplier<Duration> allowance) {
        return acquire(claim, null, lane, allowance);
    }

    private Mono<SlidingWindowQuota.Permit> acquire(QuotaClaim claim, CallBudget budget, Lane lane,
            Supplier<Duration> allowance) {
        return Mono.defer(() -> {
            Arrival arrival = arrive(claim, budget, lane);
            if (arrival.permit != null) {
                meters.granted(lane, claim, Duration.ZERO);
                return Mono.just(arrival.permit);
            }
            Duration maxWait = allowance.get();
            long since = nanoTime.getAsLong();
            return Mono.<SlidingWindowQuota.Permit>create(sink -> join(
                    new Waiter(claim, lane, arrival.expectedCalls, sink, allowance, since), maxWait))
                .timeout(maxWait, Mono.defer(() -> {
                    meters.refused(lane);
                    long waited = Duration.ofNanos(nanoTime.getAsLong() - since).toMillis();
                    return Mono.error(new Refused(lane,
                            "waited " + waited + " ms for a permit, as long as the deadline allowed"));
                }));
        });
    }

    /**
     * Counts a call asked, and gives it the quota's permit at once when nobody is waiting and the quota can start a
     * call now.
     */
    private synchronized Arrival arrive(QuotaClaim claim, CallBudget budget, Lane lane) {
        callsPerLookup.record(lane);
        asked.record(claim);
        int expectedCalls = 1;
        if (lane != Lane.CONTINUATION) {
            int learned = budget == null ? 0 : callsPerRoom.started(budget);
            expectedCalls = learned > 0 ? learned : callsPerLookup.expected();
        }
        if (queued == 0 && quota.untilNextStart().isZero()) {
            return new Arrival(quota.reserve(Duration.ZERO), expectedCalls);
        }
        return new Arrival(null, expectedCalls);
    }

    /** A call just asked: its permit when it could start at once (else null), and the calls its lookup will take. */
    private record Arrival(SlidingWindowQuota.Permit permit, int expectedCalls) {
    }

    private void join(Waiter waiter, Duration maxWait) {
        String refusal;
        synchronized (this) {
            refusal = queued >= maxQueued ? maxQueued + " calls were already waiting for it" : tooLong(waiter, maxWait);
            if (refusal == null) {
                enqueue(waiter);
                return;
            }
        }
        meters.refused(waiter.lane);
        waiter.sink.error(new Refused(waiter.lane, refusal));
    }

    /**
     * Why the call's turn would come too late to wait for, or null: the quota's next start, then one spacing for
     * each call that will go before it: every call waiting in the lanes served first, and in its own lane the
     * lookups that stride order will serve before it, each with the calls it will take (its continuations will
     * jump the queue too). This is an estimate; it refuses at once what the wait would most likely refuse later,
     * having held a place in the queue for nothing.
     */
    private String tooLong(Waiter waiter, Duration maxWait) {
        long ahead = 0;
        for (Lane lane : Lane.values()) {
            if (lane.ordinal() < waiter.lane.ordinal()) {
                ahead += lanes.get(lane).expectedCalls;
            }
        }
        ahead += lanes.get(waiter.lane).callsBefore(waiter.claim);
        Duration turn = quota.untilNextStart().plus(quota.spacing().multipliedBy(ahead));
        if (turn.compareTo(maxWait) <= 0) {
            return null;
        }
        return "its turn was about " + turn.toMillis() + " ms away, later than its deadline leaves to wait";
    }

    /**
     * What callers asked of this instance since the last time this was taken, for sharing the quota between
     * replicas by their demand (every call asked counts, whether it got a permit, waited or was refused).
     */
    public synchronized Demand takeDemand() {
        Demand demand = asked.demand();
        asked = new Asked();
        return demand;
    }

    /**
     * Calls asked in a period, by class: interactive work (continuations included) and background work, and the
     * sum of the quota shares of the clients that asked, each counted once.
     */
    public record Demand(long interactiveCalls, long backgroundCalls, int interactiveWeight, int backgroundWeight) {
    }

    /** Calls waiting for a permit now, every lane. */
    public synchronized int queued() {
        return queued;
    }

    private void enqueue(Waiter waiter) {
        lanes.get(waiter.lane).add(waiter);
        queued++;
        meters.waiting().incrementAndGet();
        waiter.sink.onCancel(() -> leave(waiter));
        scheduleHandOut();
    }

    private synchronized void leave(Waiter waiter) {
        if (lanes.get(waiter.lane).remove(waiter)) {
            queued--;
            meters.waiting().decrementAndGet();
        }
    }

    private void scheduleHandOut() {
        if (timerSet) {
            return;
        }
        timerSet = true;
        long delay = Math.max(1, quota.untilNextStart().toNanos());
        timerDue = nanoTime.getAsLong() + delay;
        Schedulers.parallel().schedule(this::handOut, delay, TimeUnit.NANOSECONDS);
    }

    /** Grants every permit the quota allows now, in order, and sets the timer for the next one. */
    private void handOut() {
        List<Runnable> decided = new ArrayList<>();
        synchronized (this) {
            timerSet = false;
            quota.lateBy(Duration.ofNanos(nanoTime.getAsLong() - timerDue));
            while (queued > 0) {
                if (!quota.untilNextStart().isZero()) {
                    scheduleHandOut();
                    break;
                }
                Waiter waiter = next();
                queued--;
                meters.waiting().decrementAndGet();
                String unaffordable = waiter.lane == Lane.CONTINUATION ? null : unaffordable(waiter);
                if (unaffordable != null) {
                    meters.refused(waiter.lane);
                    decided.add(() -> waiter.sink.error(new Refused(waiter.lane, unaffordable)));
                    continue;
                }
                SlidingWindowQuota.Permit permit = quota.reserve(Duration.ZERO);
                decided.add(() -> waiter.grant(permit));
            }
        }
        // Outside the lock: a granted call starts on this thread, and must not hold up the queue.
        decided.forEach(Runnable::run);
    }

    private Waiter next() {
        for (Lane lane : Lane.values()) {
            LaneQueue queue = lanes.get(lane);
            if (queue.size > 0) {
                return queue.poll();
            }
        }
        throw new IllegalStateException("no call is waiting");
    }

    /**
     * Why a lookup's first call could not be paid for within its deadline, or null when it can: the calls it will
     * take, behind the continuations already waiting, at the quota's pace.
     */
    private String unaffordable(Waiter waiter) {
        long ahead = waiter.expectedCalls - 1L + lanes.get(Lane.CONTINUATION).size;
        Duration needed = quota.spacing().multipliedBy(ahead);
        if (needed.compareTo(waiter.allowance.get()) <= 0) {
            return null;
        }
        return "this lookup takes about " + waiter.expectedCalls
                + " calls, which could not all be paid for before its deadline";
    }

    /** One call waiting for its permit. */
    private final class Waiter {

        final QuotaClaim claim;

        final Lane lane;

        // 1 for a continuation; for a lookup's first call, all the calls the lookup is expected to take.
        final int expectedCalls;

        final MonoSink<SlidingWindowQuota.Permit> sink;

        final Supplier<Duration> allowance;

        final long since;

        Waiter(QuotaClaim claim, Lane lane, int expectedCalls, MonoSink<SlidingWindowQuota.Permit> sink,
                Supplier<Duration> allowance, long since) {
            this.claim = claim;
            this.lane = lane;
            this.expectedCalls = expectedCalls;
            this.sink = sink;
            this.allowance = allowance;
            this.since = since;
        }

        void grant(SlidingWindowQuota.Permit permit) {
            meters.granted(lane, claim, Duration.ofNanos(nanoTime.getAsLong() - since));
            sink.success(permit);
        }
    }

    /** One client's waiting calls in a lane, and how far its stride has carried it. */
    private static final class Flow {

        final String client;

        final int share;

        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

        // The calls its waiting lookups will take in all.
        long expectedCalls;

        double pass;

        Flow(String client, int share, double pass) {
            this.client = client;
            this.share = share;
            this.pass = pass;
        }
    }

    /** One lane: stride scheduling over the clients waiting in it. */
    private static final class LaneQueue {

        // Insertion order breaks ties: of two clients equally far behind, the one that waited longer goes first.
        final Map<String, Flow> flows = new LinkedHashMap<>();

        double pace;

        int size;

        // The calls the waiting lookups will take in all, their first ones included.
        long expectedCalls;

        void add(Waiter waiter) {
            Flow flow = flows.computeIfAbsent(waiter.claim.client(),
                    client -> new Flow(client, waiter.claim.share(), pace));
            flow.waiting.add(waiter);
            flow.expectedCalls += waiter.expectedCalls;
            size++;
            expectedCalls += waiter.expectedCalls;
        }

        /**
         * The calls this lane will most likely serve before a new waiter of the claim's client: its client's own
         * waiting lookups, and from each other client about its share's worth of lookups for each one of this
         * client's served first (stride order), never more than it has waiting. Without this, a modest client's
         * call was counted behind a greedy client's whole backlog and refused, though its turn was near.
         */
        long callsBefore(QuotaClaim claim) {
            Flow own = flows.get(claim.client());
            int ownTurn = own == null ? 1 : own.waiting.size() + 1;
            long ahead = own == null ? 0 : own.expectedCalls;
            for (Flow flow : flows.values()) {
                if (flow != own) {
                    long lookups = Math.min(flow.waiting.size(),
                            (long) Math.ceil((double) ownTurn * flow.share / claim.share()));
                    ahead += Math.round((double) flow.expectedCalls * lookups / flow.waiting.size());
                }
            }
            return ahead;
        }

        Waiter poll() {
            Flow behind = null;
            for (Flow flow : flows.values()) {
                if (behind == null || flow.pass < behind.pass) {
                    behind = flow;
                }
            }
            Waiter waiter = behind.waiting.poll();
            behind.expectedCalls -= waiter.expectedCalls;
            size--;
            expectedCalls -= waiter.expectedCalls;
            pace = behind.pass;
            behind.pass += 1.0 / behind.share;
            if (behind.waiting.isEmpty()) {
                flows.remove(behind.client);
            }
            return waiter;
        }

        boolean remove(Waiter waiter) {
            Flow flow = flows.get(waiter.claim.client());
            if (flow == null || !flow.waiting.remove(waiter)) {
                return false;
            }
            flow.expectedCalls -= waiter.expectedCalls;
            size--;
            expectedCalls -= waiter.expectedCalls;
            if (flow.waiting.isEmpty()) {
                flows.remove(flow.client);
            }
            return true;
        }
    }

    /** Who asked for permits in the current period. */
    private static final class Asked {

        // Enough clients to weigh the split fairly; more distinct ones in 100 ms add weight 1 each, unnamed.
        private static final int MAX_NAMED = 1_000;

        private final Map<String, Integer> interactive = new HashMap<>();

        private final Map<String, Integer> background = new HashMap<>();

        private long interactiveCalls;

        private long backgroundCalls;

        private int unnamedInteractive;

        private int unnamedBackground;

        void record(QuotaClaim claim) {
            boolean isBackground = claim.priority() == Priority.BACKGROUND;
            Map<String, Integer> clients = isBackground ? background : interactive;
            if (isBackground) {
                backgroundCalls++;
            }
            else {
                interactiveCalls++;
            }
            if (clients.containsKey(claim.client())) {
                return;
            }
            if (clients.size() < MAX_NAMED) {
                clients.put(claim.client(), claim.share());
            }
            else if (isBackground) {
                unnamedBackground++;
            }
            else {
                unnamedInteractive++;
            }
        }

        Demand demand() {
            return new Demand(interactiveCalls, backgroundCalls, weight(interactive) + unnamedInteractive,
                    weight(background) + unnamedBackground);
        }

        private static int weight(Map<String, Integer> clients) {
            return clients.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Calls per lookup at this instance, learned from what lookups really took (pages, retries), weighted toward
     * recent lookups: a paged listing's length changes with the room.
     */
    private static final class CallsPerLookup {

        private static final int HALVE_AFTER = 512;

        private double lookups;

        private double calls;

        void record(Lane lane) {
            calls++;
            if (lane != Lane.CONTINUATION) {
                lookups++;
                if (lookups >= HALVE_AFTER) {
                    lookups /= 2;
                    calls /= 2;
                }
            }
        }

        int expected() {
            return lookups < 1 ? 1 : (int) Math.max(1, Math.round(calls / lookups));
        }
    }

    /**
     * What the last lookup of each recent room took, for paged listings whose length is the room's: learned when the
     * room's next lookup starts, by when the previous one has (nearly always) finished. Bounded, least recently
     * looked-up rooms forgotten first.
     */
    private static final class CallsPerRoom {

        private static final int MAX_ROOMS = 10_000;

        private final Map<String, Room> rooms = new LinkedHashMap<>(256, 0.75f, true) {

            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Room> eldest) {
                return size() > MAX_ROOMS;
            }
        };

        /** Notes the lookup as its room's latest; the calls the room's previous lookup took, or 0 if unknown. */
        int started(CallBudget lookup) {
            if (lookup.lookupKey() == null) {
                return 0;
            }
            Room room = rooms.computeIfAbsent(lookup.lookupKey(), key -> new Room());
            // A lookup refused before its first call says nothing about the room.
            if (room.latest != null && room.latest != lookup && room.latest.calls() > 0) {
                room.learned = room.latest.calls();
            }
            room.latest = lookup;
            return room.learned;
        }

        private static final class Room {

            CallBudget latest;

            int learned;
        }
    }
}
