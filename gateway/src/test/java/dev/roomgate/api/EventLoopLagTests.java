package dev.roomgate.api;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ServerProperties;
import dev.roomgate.support.Await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lag probe on a real event loop. Its time is a ticker that moves a set step each time the probe reads it, so
 * how late each probe "ran" is the test's choice, never the machine's speed: a step of 400 ms makes every probe
 * 350 ms late (they ask to run 50 ms later), past the 250 ms threshold.
 */
class EventLoopLagTests {

    private static final long ON_TIME = Duration.ofMillis(50).toNanos();

    private static final long LATE = Duration.ofMillis(400).toNanos();

    private final EventLoop loop = new DefaultEventLoop();

    private final SteppingTicker ticker = new SteppingTicker();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final EventLoopLag lag = new EventLoopLag(new ServerProperties(Duration.ofSeconds(10),
            Duration.ofSeconds(60), 2000, 64, Duration.ofMillis(250)), ticker, meters);

    @AfterEach
    void stop() {
        lag.destroy();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aLoopWhoseProbesAreAllLateIsOverloadedUntilOneRunsOnTime() {
        ticker.step.set(LATE);
        lag.watch(loop);
        Await.until("three late probes in a row", () -> overloadedOnTheLoop());
        assertThat(ticker.reads.get()).as("the start and at least three probes").isGreaterThanOrEqualTo(4);
        assertThat(meters.get("roomgate.server.event.loop.lag").gauge().value()).as("the worst lag, in seconds")
            .isCloseTo(0.35, org.assertj.core.data.Offset.offset(1e-9));

        ticker.step.set(ON_TIME);
        Await.until("a probe on time", () -> !overloadedOnTheLoop());
    }

    @Test
    void oneLateProbeInThreeNeverSheds() {
        // Late, on time, on time, late, ...: a collection pause now and then, never a queue.
        ticker.pattern = reads -> reads % 3 == 1 ? LATE : ON_TIME;
        lag.watch(loop);
        for (int probes = 3; probes <= 30; probes += 3) {
            int atLeast = probes;
            Await.until(atLeast + " probes", () -> ticker.reads.get() >= atLeast);
            assertThat(overloadedOnTheLoop()).as("after %d probes", probes).isFalse();
        }
    }

    @Test
    void aThreadThatIsNoProbedLoopIsNeverOverloaded() {
        ticker.step.set(LATE);
        lag.watch(loop);
        Await.until("the loop overloaded", () -> overloadedOnTheLoop());
        assertThat(lag.overloaded()).as("asked on the test's thread").isFalse();
    }

    @Test
    void aLoopIsProbedOnceHoweverManyConnectionsLandOnItAndNoMoreOnceStopped() {
        lag.watch(loop);
        lag.watch(loop);
        assertThat(lag.watchedLoops()).isEqualTo(1);
        Await.until("a probe run", () -> ticker.reads.get() >= 2);

        lag.destroy();
        Await.until("the probe gone at its next run", () -> lag.watchedLoops() == 0);
        lag.watch(loop);
        assertThat(lag.watchedLoops()).as("a stopped probe starts no other").isZero();
    }

    private boolean overloadedOnTheLoop() {
        return onTheLoop(lag::overloaded);
    }

    private <T> T onTheLoop(java.util.concurrent.Callable<T> question) {
        try {
            return loop.submit(question).get();
        }
        catch (InterruptedException | ExecutionException failed) {
            throw new AssertionError(failed);
        }
    }

    /** Each read moves time on by {@link #step}, or by what {@link #pattern} says for that read. */
    static final class SteppingTicker implements Ticker {

        final AtomicLong step = new AtomicLong(ON_TIME);

        final AtomicInteger reads = new AtomicInteger();

        volatile java.util.function.IntToLongFunction pattern;

        private final AtomicLong now = new AtomicLong();

        @Override
        public long nanoTime() {
            int read = reads.getAndIncrement();
            java.util.function.IntToLongFunction scripted = pattern;
            return now.addAndGet(scripted != null ? scripted.applyAsLong(read) : step.get());
        }
    }
}
