package dev.roomgate.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingJsonLogFormatterTests {

    private static final String USERSIG = "eJwtzEELgjAYBuD-8p0j9m1uTqGDh0iiCzUQ*4YdRZYxNadN2*Jz0";

    @Test
    void writesOneJsonObjectPerLineWithCredentialsRemovedEverywhere() {
        Logger logger = new LoggerContext().getLogger("dev.roomgate.Test");
        String uri = "https://adminapisgp.example.com/v4/x?sdkappid=1&usersig=" + USERSIG + "&random=7";
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.WARN, "call to {} failed",
                new IllegalStateException("502 Bad Gateway from POST " + uri), new Object[] { uri });
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("url", uri));
        event.setMDCPropertyMap(java.util.Map.of(RequestIdLogging.KEY, "req-1"));

        String line = new RedactingJsonLogFormatter().format(event);

        assertThat(line).endsWith("\n").doesNotContain(USERSIG);
        JsonNode json = JsonMapper.builder().build().readTree(line);
        assertThat(json.get("log.level").asString()).isEqualTo("WARN");
        assertThat(json.get("request.id").asString()).isEqualTo("req-1");
        assertThat(json.get("message").asString()).contains("usersig=[REDACTED]&random=7");
        assertThat(json.get("url").asString()).contains("usersig=[REDACTED]");
        assertThat(json.get("error.type").asString()).isEqualTo(IllegalStateException.class.getName());
        assertThat(json.get("error.stack_trace").asString()).contains("usersig=[REDACTED]");
    }
}
