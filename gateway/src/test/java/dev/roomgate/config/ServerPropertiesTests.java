package dev.roomgate.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code roomgate.server.*}: the documented defaults, and a bad value stops start-up naming its key. */
class ServerPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(Bound.class);

    @Test
    void defaultsAreTheDocumentedOnes() {
        runner.run(context -> assertThat(context.getBean(ServerProperties.class))
            .isEqualTo(new ServerProperties(Duration.ofSeconds(10), Duration.ofSeconds(60), 2000, 512,
                    Duration.ofMillis(500))));
    }

    @Test
    void aZeroCapOrTimeoutIsRefusedByName() {
        runner.withPropertyValues("roomgate.server.max-connections=0")
            .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("maxConnections"));
        runner.withPropertyValues("roomgate.server.request-header-timeout=0s")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("requestHeaderTimeout"));
        runner.withPropertyValues("roomgate.server.max-in-flight-per-core=0")
            .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("maxInFlightPerCore"));
        runner.withPropertyValues("roomgate.server.max-event-loop-lag=0s")
            .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("maxEventLoopLag"));
    }

    @Test
    void theInFlightCapScalesWithTheProcessors() {
        ServerProperties properties = new ServerProperties(Duration.ofSeconds(10), Duration.ofSeconds(60), 2000, 64,
                Duration.ofMillis(500));
        assertThat(properties.maxInFlight(2)).isEqualTo(128);
        assertThat(properties.maxInFlight(0)).as("never below one core's worth").isEqualTo(64);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ServerProperties.class)
    static class Bound {
    }
}
