package dev.roomgate.aggregate;

import java.time.Duration;

import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.UpstreamText;


/**
 * A provider call that produced no usable answer, already classified. Messages are written by us and never carry
 * an upstream URL or credential. No stack trace: these are expected outcomes, not bugs.
 */
public final class ProviderException extends RuntimeException {

    private final ProviderStatus status;

    private final String code;

    private final Integer httpStatus;

    private final String upstreamCode;

    private final boolean retryable;

    private final Duration retryAfter;

    private final Duration backoffCeiling;

    private ProviderException(Builder builder) {
        super(UpstreamText.bound(builder.message), null, false, false);
        this.status = builder.status;
        this.code = builder.code;
        this.httpStatus = builder.httpStatus;
        this.upstreamCode = UpstreamText.bound(builder.upstreamCode);
        this.retryable = builder.retryable;
        this.retryAfter = builder.retryAfter;
        this.backoffCeiling = builder.backoffCeiling;
    }

    public static Builder of(ProviderStatus status, String code, String message) {
        return new Builder(status, code, message);
    }

    public ProviderStatus status() {
        return status;
    }

    /** The stable upper-case code. */
    public String code() {
        return code;
    }

    /** The upstream HTTP status, or null when there was no answer. */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** The provider's own error code, or null when it gave none. */
    public String upstreamCode() {
        return upstreamCode;
    }

    /** True when the provider answered (an HTTP status or its own error code), false for our own refusals. */
    public boolean fromProvider() {
        return httpStatus != null || upstreamCode != null;
    }

    public boolean retryable() {
        return retryable;
    }

    /** This failure is the one room's, not the instance's: see {@link #isRoomFailure(ProviderStatus, Integer)}. */
    public boolean isRoomFailure() {
        return isRoomFailure(status, httpStatus);
    }

    /**
     * The provider is up and answered, but its answer for this room is unusable: too large, unparseable, or a
     * refusal of this one request (a 4xx, or an error in the body of a 2xx). That says nothing about the instance's
     * health, so such a failure never feeds its circuit breaker (one room must not cut everyone off), and the cache
     * keeps it briefly instead, so polling that room costs nothing upstream. Transport failures (no HTTP status),
     * 5xx and timeouts are the instance's.
     */
    public static boolean isRoomFailure(ProviderStatus status, Integer httpStatus) {
        return status == ProviderStatus.INVALID_RESPONSE
                || status == ProviderStatus.UPSTREAM_ERROR && httpStatus != null && httpStatus < 500;
    }

    /** What a failure says about the instance's health, as its circuit breaker counts it. */
    public enum Health {

        /** The instance is unwell: unreachable, a 5xx, or too slow within a whole attempt's deadline. */
        FAILURE,

        /** The instance is up and answered: a room's own failure, or a refusal of this one request. */
        SUCCESS,

        /** Nothing about the instance: our own limits (quota, bulkhead), our own budget ending, its throttling. */
        IGNORED
    }

    /** The code of a timeout that was our budget ending, not the provider being slow. */
    public static final String BUDGET_ENDED = "BUDGET_ENDED";

    /** The instance's budget ran out during an attempt that had less than its full deadline. */
    public static ProviderException budgetEnded() {
        return of(ProviderStatus.TIMEOUT, BUDGET_ENDED, "the instance's budget ran out").build();
    }

    /**
     * The verdict for the breaker. Only transport failures, 5xx and timeouts are the instance's; a failure of one
     * room's answer ({@link #isRoomFailure()}) comes from a provider that is up and answering, and counting it would
     * let one room, or one bad request pattern, open the breaker on a healthy provider for every room. Our own
     * refusals and the end of our own budget would let our limits open it; the provider's throttling says it is up.
     */
    public Health health() {
        if (status == ProviderStatus.RATE_LIMITED || BUDGET_ENDED.equals(code)) {
            return Health.IGNORED;
        }
        boolean unwell = status == ProviderStatus.TIMEOUT
                || status == ProviderStatus.UPSTREAM_ERROR && !isRoomFailure();
        return unwell ? Health.FAILURE : Health.SUCCESS;
    }

    /** The delay the provider asked for (HTTP Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The longest back-off the provider's own rules allow for this throttle when it named no delay (VideoSDK's own
     * client stops doubling at 8 s), or null for ours.
     */
    public Duration backoffCeiling() {
        return backoffCeiling;
    }

    public ProviderError toError() {
        return new ProviderError(code, getMessage(), httpStatus, upstreamCode);
    }

    /** Builder for the optional parts. */
    public static final class Builder {

        private final ProviderStatus status;

        private final String code;

        private final String message;

        private Integer httpStatus;

        private String upstreamCode;

        private boolean retryable;

        private Duration retryAfter;

        private Duration backoffCeiling;

        private Builder(ProviderStatus status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }

        /**
         * What the provider answered: its HTTP status (null when there was none) and its own error code (null when
         * it gave none).
         */
        public Builder answered(Integer status, String upstream) {
            this.httpStatus = status;
            this.upstreamCode = upstream;
            return this;
        }

        public Builder retryable(boolean value) {
            this.retryable = value;
            return this;
        }

        public Builder retryAfter(Duration value) {
            this.retryAfter = value;
            return this;
        }

        public Builder backoffAtMost(Duration value) {
            this.backoffCeiling = value;
            return this;
        }

        public ProviderException build() {
            return new ProviderException(this);
        }
    }
}
