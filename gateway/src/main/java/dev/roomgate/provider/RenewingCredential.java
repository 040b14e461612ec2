package dev.roomgate.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Keeps a minted credential (UserSig, JWT) while it is young, and mints a new one once half its lifetime is gone,
 * so no call ever carries a credential close to expiry. Minting is cheap and pure, so a race only mints twice.
 */
public final class RenewingCredential {

    private final Clock clock;

    private final Duration lifetime;

    private final Function<Instant, String> mint;

    private final AtomicReference<Minted> current = new AtomicReference<>();

    /** @param mint makes a credential issued at the given instant and valid for {@code lifetime} */
    public RenewingCredential(Clock clock, Duration lifetime, Function<Instant, String> mint) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.mint = mint;
    }

    public String get() {
        Instant now = clock.instant();
        Minted minted = current.get();
        if (minted == null || !now.isBefore(minted.renewAt()) || now.isBefore(minted.issuedAt())) {
            Instant issuedAt = now;
            minted = new Minted(mint.apply(issuedAt), issuedAt, issuedAt.plus(lifetime.dividedBy(2)));
            current.set(minted);
        }
        return minted.value();
    }

    /** Forgets the credential, for when the provider says it no longer accepts it. */
    public void invalidate() {
        current.set(null);
    }

    private record Minted(String value, Instant issuedAt, Instant renewAt) {

        @Override
        public String toString() {
            return "Minted[issuedAt=" + issuedAt + "]";
        }
    }
}
