package dev.roomgate.config;

import java.nio.charset.StandardCharsets;

import dev.roomgate.observability.CredentialRedactor;

/** A credential value that never prints itself. */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        CredentialRedactor.register(value);
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
