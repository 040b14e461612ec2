package dev.roomgate.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.Priority;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.resilience.PermitQueue.Lane;
import dev.roomgate.schema.ProviderType;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler of contended permits, in virtual time: its timer and the quota's clock are the same virtual one. */
class PermitQueueTests {

    private static final Duration PLENTY = Duration.ofHours(1);

    private static final QuotaClaim GREEDY = new QuotaClaim("key:greedy", "greedy", 1, Priority.INTERACTIVE);

    private static final QuotaClaim MODEST = new QuotaClaim("key:modest", "modest", 1, Priority.INTERACTIVE);

    private static final QuotaClaim BIG = new QuotaClaim("key:big", "big", 3, Priority.INTERACTIVE);

    private static final QuotaClaim NIGHTLY = new QuotaClaim("key:nightly", "nightly", 1, Priority.BACKGROUND);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final List<Disposable> subscriptions = new ArrayList<>();

    private VirtualTimeScheduler virtual;

    private SlidingWindowQuota quota;

    /** Which client got each permit, in the order they were granted. */
    private final List<String> granted = new ArrayList<>();

    @BeforeEach
    void virtualTime() {
        virtual = VirtualTimeScheduler.getOrSet();
    }

    @AfterEach
    void realTime() {
        subscriptions.forEach(Disposable::dispose);
        VirtualTimeScheduler.reset();
    }

    /** A queue for {@code perSecond} calls a second: contended permits come one spacing (1.1 s / rate) apart. */
    private PermitQueue queue(int perSecond, int maxQueued) {
        quota = new SlidingWindowQuota(perSecond, () -> virtual.now(TimeUnit.NANOSECONDS));
        ProviderInstance instance = new ProviderInstance("p1", ProviderType.PLUGNMEET,
                URI.create("http://127.0.0.1:1"), true, Duration.ofSeconds(2), perSecond, maxQueued,
                new ProviderInstance.RetryPolicy(1, Duration.ofSeconds(1), 20, 0),
                new ProviderInstance.BreakerPolicy(4, 4, 50, Duration.ofMillis(300), 1), 10,
                new ProviderCredentials.PlugNmeet("k", Secret.of("s")));
        return new PermitQueue(quota, maxQueued, () -> virtual.now(TimeUnit.NANOSECONDS),
                new PermitMeters(registry, instance));
    }

    /** Asks for a permit and, when it comes, notes whose it was; returns where a refusal would land. */
    private AtomicReference<Throwable> ask(PermitQueue queue, QuotaClaim claim, Lane lane, Supplier<Duration> allowance) {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        subscriptions.add(queue.acquire(claim, lane, allowance)
            .subscribe(permit -> granted.add(claim.label()), refusal::set));
        return refusal;
    }

    private AtomicReference<Throwable> ask(PermitQueue queue, QuotaClaim claim, Lane lane) {
        return ask(queue, claim, lane, () -> PLENTY);
    }

    /** Spends the quota's next start, so that every later call has to queue. */
    private void contend(PermitQueue queue) {
        ask(queue, GREEDY, Lane.INTERACTIVE);
        granted.clear();
    }

    private void advance(Duration time) {
        virtual.advanceTimeBy(time);
    }

    private long count(List<String> clients, String client) {
        return clients.stream().filter(client::equals).count();
    }

    @Test
    void nobodyWaitsWithoutContention() {
        PermitQueue queue = queue(10, 100);
        for (int i = 0; i < 5; i++) {
            ask(queue, MODEST, Lane.INTERACTIVE);
            assertThat(granted).as("granted at once, before any time passes").hasSize(i + 1);
            // The next call comes after the quota's spacing: it finds the quota free again.
            advance(quota.spacing());
        }
        assertThat(queue.queued()).isZero();
        assertThat(registry.get("roomgate.quota.wait").tag("lane", "interactive").timer().max(TimeUnit.NANOSECONDS))
            .isZero();
    }

    @Test
    void contendedPermitsSplitInProportionToTheSharesOfTheClientsWaiting() {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        for (int i = 0; i < 60; i++) {
            ask(queue, BIG, Lane.INTERACTIVE);
            ask(queue, GREEDY, Lane.INTERACTIVE);
        }
        advance(quota.spacing().multipliedBy(40));

        List<String> first40 = granted.subList(0, 40);
        assertThat(count(first40, "big")).as("3 shares against 1: %s", first40).isEqualTo(30);
        assertThat(count(first40, "greedy")).isEqualTo(10);
    }

    @Test
    void aClientAskingLessThanItsShareGetsAllItAsksPromptly() {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        for (int i = 0; i < 200; i++) {
            ask(queue, GREEDY, Lane.INTERACTIVE);
        }
        // The modest client asks once every half second: a fifth of the quota, below its half share.
        List<AtomicReference<Throwable>> modest = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            modest.add(ask(queue, MODEST, Lane.INTERACTIVE));
            advance(quota.spacing().multipliedBy(2));
            assertThat(count(granted, "modest")).as("granted within two spacings of asking").isEqualTo(i + 1L);
            advance(Duration.ofMillis(500).minus(quota.spacing().multipliedBy(2)));
        }
        assertThat(modest).allSatisfy(refusal -> assertThat(refusal.get()).isNull());
        assertThat(queue.queued()).as("the greedy client still waits for the rest").isPositive();
    }

    @Test
    void interactiveWorkIsServedBeforeBackgroundWork() {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        for (int i = 0; i < 5; i++) {
            ask(queue, NIGHTLY, Lane.BACKGROUND);
        }
        for (int i = 0; i < 5; i++) {
            ask(queue, MODEST, Lane.INTERACTIVE);
        }
        advance(quota.spacing().multipliedBy(10));

        assertThat(granted).containsExactly("modest", "modest", "modest", "modest", "modest",
                "nightly", "nightly", "nightly", "nightly", "nightly");
    }

    @Test
    void aStartedLookupsNextCallsGoBeforeAnyNewLookup() {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        for (int i = 0; i < 3; i++) {
            ask(queue, GREEDY, Lane.INTERACTIVE);
        }
        ask(queue, NIGHTLY, Lane.CONTINUATION);
        ask(queue, NIGHTLY, Lane.CONTINUATION);
        advance(quota.spacing().multipliedBy(5));

        assertThat(granted).containsExactly("nightly", "nightly", "greedy", "greedy", "greedy");
    }

    @Test
    void pastTheBoundOfTheQueueACallIsRefusedAtOnce() {
        PermitQueue queue = queue(10, 3);
        contend(queue);
        for (int i = 0; i < 3; i++) {
            ask(queue, GREEDY, Lane.INTERACTIVE);
        }
        AtomicReference<Throwable> refusal = ask(queue, MODEST, Lane.INTERACTIVE);

        assertThat(refusal.get()).isInstanceOf(PermitQueue.Refused.class)
            .hasMessage("3 calls were already waiting for it");
        assertThat(queue.queued()).isEqualTo(3);
        assertThat(registry.get("roomgate.quota.lookups").tag("outcome", "refused").counter().count()).isOne();
    }

    /** A contended queue of 10 calls a second with {@code calls} of the greedy client's waiting. */
    private PermitQueue greedyBacklogOf(int calls) {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        for (int i = 0; i < calls; i++) {
            ask(queue, GREEDY, Lane.INTERACTIVE);
        }
        return queue;
    }

    @Test
    void aCallWhoseTurnWouldComeTooLateIsRefusedWithoutWaiting() {
        PermitQueue queue = greedyBacklogOf(10);
        // Ten of its own client's calls ahead, 105 ms apart: about 1.1 s to its turn, and it may wait 300 ms.
        AtomicReference<Throwable> refusal = ask(queue, GREEDY, Lane.INTERACTIVE, () -> Duration.ofMillis(300));

        assertThat(refusal.get()).isInstanceOf(PermitQueue.Refused.class)
            .hasMessageContaining("later than its deadline leaves to wait");
        assertThat(queue.queued()).isEqualTo(10);
    }

    @Test
    void anotherClientsBacklogDoesNotCountAgainstACallThatStrideOrderServesFirst() {
        PermitQueue queue = greedyBacklogOf(10);
        // The greedy backlog is 1.1 s long, but with equal shares the modest call goes second: it may wait 300 ms.
        AtomicReference<Throwable> refusal = ask(queue, MODEST, Lane.INTERACTIVE, () -> Duration.ofMillis(300));
        advance(quota.spacing().multipliedBy(2));

        assertThat(refusal.get()).isNull();
        assertThat(granted).contains("modest");
        // A background call is behind the whole interactive backlog, whatever the shares.
        AtomicReference<Throwable> background = ask(queue, NIGHTLY, Lane.BACKGROUND, () -> Duration.ofMillis(300));
        assertThat(background.get()).isInstanceOf(PermitQueue.Refused.class)
            .hasMessageContaining("later than its deadline leaves to wait");
    }

    @Test
    void aWaitNeverOutlastsWhatTheDeadlineAllowsAndThenLeavesTheQueue() {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        // Its turn is one spacing away when it asks, so it queues, allowed 300 ms ...
        AtomicReference<Throwable> refusal = ask(queue, MODEST, Lane.INTERACTIVE, () -> Duration.ofMillis(300));
        // ... but five continuations arrive and go first.
        for (int i = 0; i < 5; i++) {
            ask(queue, GREEDY, Lane.CONTINUATION);
        }
        advance(Duration.ofMillis(299));
        assertThat(refusal.get()).isNull();
        advance(Duration.ofMillis(1));

        assertThat(refusal.get()).isInstanceOf(PermitQueue.Refused.class)
            .hasMessage("waited 300 ms for a permit, as long as the deadline allowed");
        advance(quota.spacing().multipliedBy(10));
        assertThat(granted).containsOnly("greedy").hasSize(5);
        assertThat(queue.queued()).isZero();
    }

    @Test
    void aLookupIsNotStartedWhenTheCallsItWillTakeCannotBePaidForInTime() {
        PermitQueue queue = queue(10, 1000);
        // Lookups here have taken six calls each: one first call and five continuations.
        for (int lookup = 0; lookup < 4; lookup++) {
            ask(queue, GREEDY, Lane.INTERACTIVE);
            for (int page = 0; page < 5; page++) {
                ask(queue, GREEDY, Lane.CONTINUATION);
            }
        }
        advance(quota.spacing().multipliedBy(30));
        // A page of a lookup under way takes the quota's next start (with the lookup below, 26 calls in 5 lookups).
        ask(queue, GREEDY, Lane.CONTINUATION);
        granted.clear();

        // Its turn comes in one spacing (110 ms); four more calls after it need 440 ms more, within 400 ms.
        long deadline = virtual.now(TimeUnit.NANOSECONDS) + Duration.ofMillis(400).toNanos();
        AtomicReference<Throwable> refusal = ask(queue, MODEST, Lane.INTERACTIVE,
                () -> Duration.ofNanos(deadline - virtual.now(TimeUnit.NANOSECONDS)));
        advance(quota.spacing());

        assertThat(refusal.get()).isInstanceOf(PermitQueue.Refused.class)
            .hasMessage("this lookup takes about 5 calls, which could not all be paid for before its deadline");
        assertThat(granted).isEmpty();
        assertThat(registry.get("roomgate.quota.lookups").tag("outcome", "refused").counter().count()).isOne();
    }

    @Test
    void aRoomsLookupIsExpectedToTakeWhatItsLastLookupTookNotTheInstancesAverage() {
        PermitQueue queue = queue(10, 1000);
        // The last lookup of room "big" took six calls (its participants came in five pages); nine other rooms
        // took one each, so a lookup here takes about 1.5 calls on average.
        lookUp(queue, "big", 6);
        for (int room = 0; room < 9; room++) {
            lookUp(queue, "small-" + room, 1);
        }
        advance(quota.spacing().multipliedBy(20));
        contend(queue);

        // Each waits for the quota's next start (110 ms away), and then has 190 ms left: two calls fit, six do not.
        AtomicReference<Throwable> unknown = askLookup(queue, "unknown", Duration.ofMillis(300));
        advance(quota.spacing());
        AtomicReference<Throwable> big = askLookup(queue, "big", Duration.ofMillis(300));
        advance(quota.spacing());

        assertThat(unknown.get()).isNull();
        assertThat(granted).containsExactly("modest");
        assertThat(big.get()).isInstanceOf(PermitQueue.Refused.class)
            .hasMessage("this lookup takes about 6 calls, which could not all be paid for before its deadline");
    }

    /** One whole lookup of {@code room} that took {@code calls} calls, as the call policy would ask for them. */
    private void lookUp(PermitQueue queue, String room, int calls) {
        CallBudget lookup = CallBudget.start(() -> virtual.now(TimeUnit.NANOSECONDS), PLENTY, GREEDY)
            .forLookupOf(new RoomQuery(room, true));
        for (int call = 0; call < calls; call++) {
            Lane lane = Lane.of(lookup);
            subscriptions.add(queue.acquire(lookup, lane, () -> PLENTY).subscribe());
            lookup.recordAttempt(false);
        }
    }

    /** A modest client's lookup of {@code room} that may wait and run for {@code deadline} from now. */
    private AtomicReference<Throwable> askLookup(PermitQueue queue, String room, Duration deadline) {
        CallBudget lookup = CallBudget.start(() -> virtual.now(TimeUnit.NANOSECONDS), deadline, MODEST)
            .forLookupOf(new RoomQuery(room, true));
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        subscriptions.add(queue.acquire(lookup, Lane.of(lookup), lookup::remaining)
            .subscribe(permit -> granted.add(lookup.claim().label()), refusal::set));
        return refusal;
    }

    @Test
    void aCallThatLeavesWhileWaitingGivesUpItsPlace() {
        PermitQueue queue = queue(10, 1000);
        contend(queue);
        Disposable leaving = queue.acquire(MODEST, Lane.INTERACTIVE, () -> PLENTY).subscribe();
        ask(queue, GREEDY, Lane.INTERACTIVE);
        assertThat(queue.queued()).isEqualTo(2);

        leaving.dispose();
        assertThat(queue.queued()).isOne();
        advance(quota.spacing());
        assertThat(granted).containsExactly("greedy");
        assertThat(registry.get("roomgate.quota.waiting").gauge().value()).isZero();
    }

    @Test
    void demandCountsEveryCallAskedByClassAndTheSharesOfTheClientsBehindIt() {
        PermitQueue queue = queue(10, 2);
        QuotaClaim nightly = new QuotaClaim("key:nightly", "nightly", 2, Priority.BACKGROUND);
        for (int i = 0; i < 3; i++) {
            ask(queue, BIG, Lane.INTERACTIVE);
            ask(queue, MODEST, Lane.CONTINUATION);
        }
        ask(queue, nightly, Lane.BACKGROUND);
        ask(queue, nightly, Lane.CONTINUATION);
        // Granted, queued and refused (the queue holds 2) alike: demand is what was asked.
        assertThat(queue.takeDemand()).isEqualTo(new PermitQueue.Demand(6, 2, 3 + 1, 2));
        assertThat(queue.takeDemand()).as("taken: the next period starts from nothing")
            .isEqualTo(new PermitQueue.Demand(0, 0, 0, 0));
    }
}
