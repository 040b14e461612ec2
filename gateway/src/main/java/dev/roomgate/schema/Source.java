package dev.roomgate.schema;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where one instance's answer came from, as a result's {@code source} field says. */
public enum Source {

    /** Fetched for this request, alone or shared with concurrent identical requests. */
    UPSTREAM,

    /** A fresh reused answer (also one another replica fetched). */
    CACHE,

    /** An old answer served because the provider failed. */
    STALE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
