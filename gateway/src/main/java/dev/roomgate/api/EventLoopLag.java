package dev.roomgate.api;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ServerProperties;

/**
 * How far behind each event loop of the main port is. Every loop a connection lands on runs a probe that asks to be
 * run again {@link #PERIOD} later; how late it actually runs is the time a request read now waits behind that loop's
 * other work. A loop is overloaded when its last {@link #LATE_IN_A_ROW} probes were each later than
 * {@code max-event-loop-lag}: a collection pause or one slow turn makes one probe late, a queue makes them all late.
 * Our own: Reactor Netty and Spring measure no such thing (Netty exposes pending tasks, not their delay).
 */
@Component
public class EventLoopLag implements DisposableBean {

    static final Duration PERIOD = Duration.ofMillis(50);

    static final int LATE_IN_A_ROW = 3;

    private final long thresholdNanos;

    private final Ticker ticker;

    private final Set<EventLoop> watched = ConcurrentHashMap.newKeySet();

    /** The probe of the loop the current thread is (one thread per loop); unset on any other thread. */
    private final FastThreadLocal<Probe> current = new FastThreadLocal<>();

    private final AtomicLong worstRecentNanos = new AtomicLong();

    private volatile boolean stopped;

    public EventLoopLag(ServerProperties properties, Ticker ticker, MeterRegistry meters) {
        this.thresholdNanos = properties.maxEventLoopLag().toNanos();
        this.ticker = ticker;
        Gauge.builder("roomgate.server.event.loop.lag", worstRecentNanos, lag -> lag.getAndSet(0) / 1e9)
            .description("The largest delay of an event loop's probe since the last scrape")
            .baseUnit("seconds")
            .register(meters);
    }

    /** Starts probing {@code loop} unless it is probed already; from any thread. */
    void watch(EventLoop loop) {
        if (!stopped && watched.add(loop)) {
            Probe probe = new Probe(loop);
            loop.execute(probe::start);
        }
    }

    /** Whether the event loop running the caller is overloaded; false on a thread that is no probed loop. */
    boolean overloaded() {
        Probe probe = current.getIfExists();
        return probe != null && probe.lateInARow >= LATE_IN_A_ROW;
    }

    int watchedLoops() {
        return watched.size();
    }

    @Override
    public void destroy() {
        stopped = true;
    }

    /** Runs on its loop only, so its fields need no synchronisation. */
    private final class Probe implements Runnable {

        private final EventLoop loop;

        private long due;

        private int lateInARow;

        Probe(EventLoop loop) {
            this.loop = loop;
        }

        void start() {
            current.set(this);
            next(ticker.nanoTime());
        }

        @Override
        public void run() {
            long now = ticker.nanoTime();
            long lag = Math.max(0, now - due);
            lateInARow = lag > thresholdNanos ? lateInARow + 1 : 0;
            worstRecentNanos.accumulateAndGet(lag, Math::max);
            if (stopped) {
                current.remove();
                watched.remove(loop);
                return;
            }
            next(now);
        }

        private void next(long now) {
            due = now + PERIOD.toNanos();
            loop.schedule(this, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
