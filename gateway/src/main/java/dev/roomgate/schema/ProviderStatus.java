package dev.roomgate.schema;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What one provider instance contributed to an answer. */
public enum ProviderStatus {

    OK, NOT_FOUND, TIMEOUT, RATE_LIMITED, CIRCUIT_OPEN, AUTH_FAILED, UPSTREAM_ERROR, INVALID_RESPONSE,

    /** An earlier good answer, served because the fresh lookup failed; it still reports the room. */
    STALE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the statuses that leave the answer complete. */
    public boolean isAuthoritative() {
        return this == OK || this == NOT_FOUND;
    }
}
