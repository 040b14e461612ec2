package dev.roomgate.observability;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.logging.structured.StructuredLogFormatter;

/**
 * Structured logging (one JSON object per line, ECS-style field names) whose message, key-value fields and stack
 * trace pass through {@link CredentialRedactor}, like the text pattern's: one choke point for both formats.
 */
public class RedactingJsonLogFormatter implements StructuredLogFormatter<ILoggingEvent> {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public String format(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("@timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("log.level", event.getLevel().toString());
        line.put("log.logger", event.getLoggerName());
        line.put("process.thread.name", event.getThreadName());
        String requestId = event.getMDCPropertyMap().get(RequestIdLogging.KEY);
        if (requestId != null) {
            line.put("request.id", requestId);
        }
        line.put("message", CredentialRedactor.redact(event.getFormattedMessage()));
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                Object value = pair.value instanceof String text ? CredentialRedactor.redact(text) : pair.value;
                line.putIfAbsent(pair.key, value);
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.put("error.type", error.getClassName());
            line.put("error.message", CredentialRedactor.redact(error.getMessage()));
            line.put("error.stack_trace", CredentialRedactor.redact(ThrowableProxyUtil.asString(error)));
        }
        return json.writeValueAsString(line) + "\n";
    }
}
