package dev.roomgate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * A client's class when an instance's quota is contended ({@code priority} of an API key): {@code interactive}
 * work is served before {@code background} work.
 */
public enum Priority {

    INTERACTIVE, BACKGROUND;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Priority> fromWireName(String name) {
        for (Priority priority : values()) {
            if (priority.wireName().equals(name)) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }
}
