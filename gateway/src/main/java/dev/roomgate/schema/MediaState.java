package dev.roomgate.schema;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** One kind of a participant's media: published and live, published but muted, or not published. */
public enum MediaState {

    ON, MUTED, OFF;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
