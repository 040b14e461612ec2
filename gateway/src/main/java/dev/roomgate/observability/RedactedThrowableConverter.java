package dev.roomgate.observability;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback {@code %redactedEx}: the stack trace, credentials removed. HTTP client exceptions put the full request URI
 * in their messages, and Tencent's URI carries the UserSig.
 */
public class RedactedThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return CredentialRedactor.redact(super.convert(event));
    }
}
