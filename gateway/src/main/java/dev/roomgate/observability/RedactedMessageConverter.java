package dev.roomgate.observability;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback {@code %redactedMsg}: the log message, credentials removed. */
public class RedactedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return CredentialRedactor.redact(super.convert(event));
    }
}
