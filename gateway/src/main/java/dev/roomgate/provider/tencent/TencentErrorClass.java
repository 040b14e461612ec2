package dev.roomgate.provider.tencent;

import java.time.Duration;

import dev.roomgate.schema.ProviderStatus;

/** The classes of providers.md 8.1: what a Tencent {@code ErrorCode} makes of a call, and whether to ask again. */
enum TencentErrorClass {

    /** A bug in our request or configuration: asking again gets the same answer. */
    PERMANENT(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_REJECTED", false, null),

    /** Tencent's own passing fault: retried with jittered back-off within the instance's budget. */
    TRANSIENT(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_INTERNAL_ERROR", true, null),

    /** The UserSig as sent was refused: a freshly minted one may pass, so the call is tried once more with it. */
    USERSIG_REFUSED(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED", true, null),

    /** Wrong key, app or account: a new UserSig from the same credentials changes nothing. */
    CREDENTIALS_REFUSED(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED", false, null),

    /** Tencent's frequency limit: the instance backs off for every caller, from 1 s doubling (ProviderThrottle). */
    THROTTLED(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED", true, null),

    /**
     * Too many UserSig checks: Tencent says "try again after 1 minute", so the instance sends nothing for that long,
     * and no UserSig is minted in a loop.
     */
    LOCKED_OUT(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED", false, Duration.ofSeconds(60)),

    /** The room does not exist, or was dissolved. */
    NOT_FOUND(ProviderStatus.NOT_FOUND, null, false, null);

    private final ProviderStatus status;

    private final String code;

    private final boolean retryable;

    private final Duration pause;

    TencentErrorClass(ProviderStatus status, String code, boolean retryable, Duration pause) {
        this.status = status;
        this.code = code;
        this.retryable = retryable;
        this.pause = pause;
    }

    ProviderStatus status() {
        return status;
    }

    /** The stable upper-case code of the failure; null for {@link #NOT_FOUND}, which is no failure. */
    String code() {
        return code;
    }

    boolean retryable() {
        return retryable;
    }

    /** How long the whole instance must wait, where Tencent says; null where the usual back-off applies. */
    Duration pause() {
        return pause;
    }

    boolean renewsUserSig() {
        return this == USERSIG_REFUSED;
    }
}
