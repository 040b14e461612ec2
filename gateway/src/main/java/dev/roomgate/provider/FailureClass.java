package dev.roomgate.provider;

import dev.roomgate.schema.ProviderStatus;

/**
 * What one row of a provider's error table makes of a call, and whether to ask again. Shared by the tables that
 * need no more than these (plugNmeet's, VideoSDK's); Tencent's has classes of its own (UserSig renewal, lock-out).
 */
public enum FailureClass {

    /** The room, session or stream is not there: an answer, not a failure. */
    NOT_FOUND(ProviderStatus.NOT_FOUND, null, false),

    /** Our credentials or token were refused: asking again with them changes nothing. */
    REFUSED(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED", false),

    /** The provider's passing fault: retried within the budget. */
    TRANSIENT(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_INTERNAL_ERROR", true),

    /** Our request was refused as it is: asking again gets the same answer. */
    PERMANENT(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_REJECTED", false),

    /** The provider's own rate limit: the instance backs off for every caller. */
    THROTTLED(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED", true);

    private final ProviderStatus status;

    private final String code;

    private final boolean retryable;

    FailureClass(ProviderStatus status, String code, boolean retryable) {
        this.status = status;
        this.code = code;
        this.retryable = retryable;
    }

    public ProviderStatus status() {
        return status;
    }

    /** The stable upper-case code; null for {@link #NOT_FOUND}, which is no failure. */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
