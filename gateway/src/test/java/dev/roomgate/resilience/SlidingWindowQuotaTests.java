package dev.roomgate.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingWindowQuotaTests {

    private static final long WINDOW = Duration.ofSeconds(1).plus(SlidingWindowQuota.JITTER_GUARD).toNanos();

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private final SlidingWindowQuota quota = new SlidingWindowQuota(5, now::get);

    @Test
    void pacesStartsEvenlyAndNeverMoreThanTheLimitPerWindow() {
        long spacing = WINDOW / 5;
        assertThat(quota.reserve(Duration.ZERO).delay()).as("a lone call goes at once").isZero();
        assertThat(quota.reserve(Duration.ZERO)).as("the next must keep its spacing").isNull();
        for (int i = 1; i < 5; i++) {
            assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).isEqualTo(Duration.ofNanos(i * spacing));
        }
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("the sixth: a window after the first")
            .isEqualTo(Duration.ofNanos(WINDOW));
        now.addAndGet(WINDOW * 3);
        assertThat(quota.available()).isEqualTo(5);
        assertThat(quota.reserve(Duration.ZERO).delay()).as("after a lull, at once again").isZero();
    }

    @Test
    void aGrantThatCameALittleLateIsMadeUpByTheNextOnesSoThePaceKeepsItsRate() {
        SlidingWindowQuota fast = new SlidingWindowQuota(200, now::get);
        long spacing = WINDOW / 200;
        long late = Duration.ofMillis(2).toNanos();
        List<Long> starts = new ArrayList<>();
        // Every grant comes 2 ms after it was due, as on a busy machine whose timers fire late.
        for (int i = 0; i < 600; i++) {
            Duration wait = fast.untilNextStart();
            now.addAndGet(wait.toNanos() + late);
            SlidingWindowQuota.Permit permit = fast.reserve(Duration.ZERO);
            assertThat(permit).as("due by now").isNotNull();
            starts.add(now.get());
            while ((permit = fast.reserve(Duration.ZERO)) != null) {
                starts.add(now.get());
            }
        }
        double perWindow = starts.size() * (double) WINDOW / (starts.get(starts.size() - 1) - starts.get(0));
        assertThat(perWindow).as("the limit's rate, not one call per spacing + lateness").isGreaterThan(195);
        for (int i = 200; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 200)).as("still at most the limit per window")
                .isGreaterThanOrEqualTo(WINDOW);
        }
        // Starts never go back, so calls started together are a run of equal starts.
        long together = 1;
        long run = 1;
        for (int i = 1; i < starts.size(); i++) {
            run = starts.get(i).equals(starts.get(i - 1)) ? run + 1 : 1;
            together = Math.max(together, run);
        }
        assertThat(together).as("catching up is a few calls at once, not a heap")
            .isLessThanOrEqualTo(1 + Duration.ofMillis(20).toNanos() / spacing);
        // A lull longer than that is not made up: the pace starts again from now.
        now.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(fast.reserve(Duration.ZERO)).isNotNull();
        assertThat(fast.reserve(Duration.ZERO)).isNull();
    }

    @Test
    void aRefusedCallReservesNothing() {
        for (int i = 0; i < 5; i++) {
            quota.reserve(Duration.ofSeconds(2));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(quota.reserve(Duration.ofMillis(500))).isNull();
        }
        now.addAndGet(WINDOW);
        assertThat(quota.reserve(Duration.ZERO).delay()).isZero();
    }

    @Test
    void noSlidingWindowEverHoldsMoreThanTheLimit() {
        Random random = new Random(42);
        SlidingWindowQuota tight = new SlidingWindowQuota(20, now::get);
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // Bursts and lulls: sometimes many calls in the same nanosecond, sometimes a pause.
            now.addAndGet(random.nextInt(10) == 0 ? random.nextInt(300_000_000) : random.nextInt(2_000_000));
            SlidingWindowQuota.Permit permit = tight.reserve(Duration.ofMillis(random.nextInt(3_000)));
            if (permit != null) {
                starts.add(now.get() + permit.delay().toNanos());
            }
        }
        starts.sort(Long::compare);
        int first = 0;
        int most = 0;
        for (int last = 0; last < starts.size(); last++) {
            while (starts.get(last) - starts.get(first) >= Duration.ofSeconds(1).toNanos()) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        assertThat(most).isLessThanOrEqualTo(20);
        assertThat(starts.size()).as("and it does grant").isGreaterThan(1_000);
    }

    @Test
    void aCallThatStartedLateHoldsBackTheCallAWindowAfterIt() {
        List<SlidingWindowQuota.Permit> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(quota.reserve(Duration.ofSeconds(2)));
        }
        // The first permit's call starts 300 ms late (its slot was "now"); the others start on time.
        long origin = now.get();
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertThat(quota.starting(first.get(0))).isZero();
        now.set(origin + WINDOW);
        assertThat(quota.reserve(Duration.ZERO)).as("not a window after the first was given").isNull();
        SlidingWindowQuota.Permit sixth = quota.reserve(Duration.ofSeconds(2));
        assertThat(sixth.delay()).as("a window after the first's late start").isEqualTo(Duration.ofMillis(300));
        now.addAndGet(sixth.delay().toNanos());
        assertThat(quota.starting(sixth)).as("so it need not be held back when it starts").isZero();
    }

    @Test
    void aCallGrantedBeforeAnEarlierOneStartedLateIsHeldBackWhenItStarts() {
        quota.allotTo(1);
        SlidingWindowQuota.Permit first = quota.reserve(Duration.ZERO);
        SlidingWindowQuota.Permit second = quota.reserve(Duration.ofSeconds(2));
        assertThat(second.delay()).isEqualTo(Duration.ofNanos(WINDOW));
        // The second was granted while the first had not started yet; the first then starts 300 ms late.
        long origin = now.get();
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertThat(quota.starting(first)).isZero();
        now.set(origin + WINDOW);
        assertThat(quota.starting(second)).as("a window after the first's late start")
            .isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void lateStartsUnderSteadyContentionNeverAddUpGenerationAfterGeneration() {
        SlidingWindowQuota busy = new SlidingWindowQuota(20, now::get);
        long sendDelay = Duration.ofMillis(20).toNanos();
        long firstGrant = now.get();
        long worstLate = 0;
        int calls = 0;
        // A greedy caller takes every permit as soon as one is due; every request goes out 20 ms after its call
        // starts (say, the round trip that asks the quota other replicas share).
        for (int generation = 0; generation < 100; generation++) {
            for (int i = 0; i < 20; i++) {
                now.addAndGet(busy.untilNextStart().toNanos());
                SlidingWindowQuota.Permit permit = busy.reserve(Duration.ZERO);
                assertThat(permit).isNotNull();
                Duration late = busy.starting(permit);
                worstLate = Math.max(worstLate, late.toNanos());
                long sentAt = now.get() + late.toNanos() + sendDelay;
                long restore = now.get();
                now.set(sentAt);
                busy.sent(permit);
                now.set(restore);
                calls++;
            }
        }
        assertThat(Duration.ofNanos(worstLate)).as("no start held back by more than one call's send delay")
            .isLessThanOrEqualTo(Duration.ofNanos(sendDelay));
        double perWindow = calls * (double) WINDOW / (now.get() - firstGrant);
        assertThat(perWindow).as("the grants follow the real sends: a little under the limit, not far behind it")
            .isBetween(19.0, 20.5);
    }

    @Test
    void aPermitGivenBackBeforeItStartsCanBeGrantedAgain() {
        for (int i = 0; i < 5; i++) {
            quota.reserve(Duration.ofSeconds(2));
        }
        SlidingWindowQuota.Permit sixth = quota.reserve(Duration.ofSeconds(2));
        assertThat(sixth.delay()).isEqualTo(Duration.ofNanos(WINDOW));
        quota.release(sixth);
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("the same slot again, not one a window later")
            .isEqualTo(Duration.ofNanos(WINDOW));
    }

    @Test
    void anOlderPermitGivenBackStaysSpent() {
        SlidingWindowQuota.Permit first = quota.reserve(Duration.ofSeconds(2));
        SlidingWindowQuota.Permit second = quota.reserve(Duration.ofSeconds(2));
        quota.release(first);
        SlidingWindowQuota.Permit third = quota.reserve(Duration.ofSeconds(2));
        assertThat(third.delay()).isGreaterThan(second.delay());
    }

    @Test
    void aPauseHoldsEveryoneBack() {
        quota.pause(Duration.ofMillis(800));
        assertThat(quota.available()).isZero();
        assertThat(quota.reserve(Duration.ofMillis(500))).isNull();
        assertThat(quota.reserve(Duration.ofSeconds(1)).delay()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void anAllotmentBelowTheLimitCountsOnlyThatManyStartsPerWindow() {
        quota.allotTo(2);
        assertThat(quota.allotted()).isEqualTo(2);
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).isZero();
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("paced for 2 a window")
            .isEqualTo(Duration.ofNanos(WINDOW / 2));
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("the third: a window after the first")
            .isEqualTo(Duration.ofNanos(WINDOW));
        quota.allotTo(5);
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("raised: paced for 5 from the last start")
            .isEqualTo(Duration.ofNanos(WINDOW + WINDOW / 5));
        quota.allotTo(1);
        assertThat(quota.reserve(Duration.ofSeconds(3)).delay()).as("lowered: a window after the last start")
            .isEqualTo(Duration.ofNanos(WINDOW + WINDOW / 5 + WINDOW));
        quota.allotTo(0);
        assertThat(quota.allotted()).as("never below one").isEqualTo(1);
        quota.allotTo(99);
        assertThat(quota.allotted()).as("never above the limit").isEqualTo(5);
    }

    @Test
    void aLateStartHoldsBackTheCallTheAllotmentCountsBackTo() {
        quota.allotTo(2);
        SlidingWindowQuota.Permit first = quota.reserve(Duration.ofSeconds(2));
        quota.reserve(Duration.ofSeconds(2));
        long origin = now.get();
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertThat(quota.starting(first)).isZero();
        now.set(origin + WINDOW);
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("a window after the first's late start")
            .isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void availableCountsWithinTheAllotment() {
        quota.allotTo(3);
        assertThat(quota.available()).isEqualTo(3);
        quota.reserve(Duration.ZERO);
        assertThat(quota.available()).isEqualTo(2);
        assertThat(quota.limit()).as("the limit stays the instance's").isEqualTo(5);
    }

    @Test
    void aCallSentLaterThanItStartedHoldsBackTheCallAWindowAfterItsSending() {
        quota.allotTo(2);
        SlidingWindowQuota.Permit first = quota.reserve(Duration.ofSeconds(2));
        assertThat(quota.starting(first)).isZero();
        quota.reserve(Duration.ofSeconds(2));
        long origin = now.get();
        // Its connection took 300 ms to open: the request went out then.
        now.addAndGet(Duration.ofMillis(300).toNanos());
        quota.sent(first);
        now.set(origin + WINDOW);
        assertThat(quota.reserve(Duration.ofSeconds(2)).delay()).as("a window after the first really went out")
            .isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aCallThatWillNotStartHoldsNothingBack() {
        quota.allotTo(1);
        SlidingWindowQuota.Permit first = quota.reserve(Duration.ZERO);
        long origin = now.get();
        now.addAndGet(Duration.ofMillis(300).toNanos());
        quota.starting(first);
        quota.notStarting(first);
        now.set(origin + WINDOW);
        assertThat(quota.reserve(Duration.ZERO)).as("a window after its permit, not after a start that never was")
            .isNotNull();
    }

    @Test
    void aTimerThatFiredLateWidensTheWindowByAsMuchAsTheJitterGuardDoesNotCoverForAWhile() {
        quota.lateBy(SlidingWindowQuota.LATE_COVERED);
        assertThat(quota.lateMargin()).as("lateness the jitter guard covers").isZero();
        quota.lateBy(SlidingWindowQuota.LATE_COVERED.plusMillis(80));
        assertThat(quota.lateMargin()).isEqualTo(Duration.ofMillis(80));
        assertThat(quota.spacing()).isEqualTo(Duration.ofNanos((WINDOW + Duration.ofMillis(80).toNanos()) / 5));
        quota.lateBy(SlidingWindowQuota.LATE_COVERED.plusMillis(10));
        assertThat(quota.lateMargin()).as("the most lately seen counts").isEqualTo(Duration.ofMillis(80));
        now.addAndGet(SlidingWindowQuota.LATE_HALF_LIFE.multipliedBy(2).toNanos());
        quota.lateBy(Duration.ZERO);
        assertThat(quota.lateMargin()).as("then it fades: half, one half-life after it stopped counting in full")
            .isEqualTo(Duration.ofMillis(40));
        quota.lateBy(Duration.ofSeconds(5));
        assertThat(quota.lateMargin()).as("never more than").isEqualTo(SlidingWindowQuota.LATE_MAX);
    }
}
