package dev.roomgate.config;

import java.nio.charset.StandardCharsets;

/**
 * A credential value that never prints itself. Its value is kept out of logs by the redactor, which is handed every
 * configured secret by name at start-up ({@code ConfiguredSecrets}), before any of these is bound.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "[redacted]";
    }
}
