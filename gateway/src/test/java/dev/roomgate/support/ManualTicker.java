package dev.roomgate.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.roomgate.aggregate.Ticker;

/**
 * A ticker that moves only when a test moves it: what regains, expires or refills does so on the test's word, never
 * because a loaded machine was slow. {@code @Import(ManualTicker.InContext.class)} makes it a context's time; only for
 * tests whose upstream calls stay far below every quota (a quota's window does not move either).
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    /** The context's one ticker, in place of the machine's. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class InContext {

        @Bean
        @Primary
        ManualTicker manualTicker() {
            return new ManualTicker();
        }
    }
}
