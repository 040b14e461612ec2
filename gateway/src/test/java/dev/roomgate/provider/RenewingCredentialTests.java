package dev.roomgate.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenewingCredentialTests {

    private Instant now = Instant.parse("2026-11-23T00:00:00Z");

    private final AtomicInteger minted = new AtomicInteger();

    private final RenewingCredential cache = new RenewingCredential(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, Duration.ofHours(24), issuedAt -> "sig-" + minted.incrementAndGet() + "@" + issuedAt.getEpochSecond());

    @Test
    void reusesACredentialWhileItIsYoung() {
        String first = cache.get();
        now = now.plus(Duration.ofHours(11));
        assertThat(cache.get()).isEqualTo(first);
        assertThat(minted).hasValue(1);
    }

    @Test
    void renewsOnceHalfTheLifetimeIsGone() {
        String first = cache.get();
        now = now.plus(Duration.ofHours(12));
        assertThat(cache.get()).isNotEqualTo(first);
        assertThat(minted).hasValue(2);
    }

    @Test
    void renewsWhenTheClockWentBackwards() {
        cache.get();
        now = now.minus(Duration.ofMinutes(5));
        cache.get();
        assertThat(minted).hasValue(2);
    }

    @Test
    void invalidateForcesANewCredential() {
        cache.get();
        cache.invalidate();
        cache.get();
        assertThat(minted).hasValue(2);
    }
}
