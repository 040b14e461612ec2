package dev.roomgate.api;

import java.io.IOException;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.support.ManualTicker;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RawHttp;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing keys from one address: after a burst of refusals it is answered 429, while a client with a valid key on
 * the same address (clients behind one NAT share an address) is served throughout. The context's time is a
 * {@link ManualTicker}: an attempt is regained when the test says a second has passed, never because the machine
 * was slow (with the machine's clock, a loop slower than a second on a loaded box regained one and answered 401).
 */
@Import(ManualTicker.InContext.class)
class FailedAttemptsTests extends RoomgateIntegrationTest {

    static final String VALID = "X-API-Key: " + ProviderEmulators.API_KEY + "\r\n";

    @Autowired
    MeterRegistry meters;

    @Autowired
    ManualTicker time;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.security.failed-attempts.per-second", () -> "1");
        registry.add("roomgate.security.failed-attempts.burst", () -> "5");
    }

    @Test
    void aFloodOfWrongKeysGets401Then429AndAValidKeyIsServedThroughout() throws IOException {
        int unauthorized = 0;
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            String wrong = RawHttp.get(port, "/v1/providers", "X-API-Key: guess-" + i + "\r\n");
            int status = RawHttp.status(wrong);
            if (status == 401) {
                assertThat(limited).as("no 401 once limited").isZero();
                assertThat(RawHttp.head(wrong)).contains("www-authenticate: apikey realm=\"roomgate\"");
                unauthorized++;
            }
            else {
                assertThat(status).isEqualTo(429);
                assertThat(RawHttp.head(wrong)).contains("retry-after: ", "content-type: application/problem+json");
                limited++;
            }
            assertThat(RawHttp.status(RawHttp.get(port, "/v1/providers", VALID))).as("the valid key, after " + i)
                .isEqualTo(200);
        }
        assertThat(unauthorized).isBetween(1, 5);
        assertThat(limited).isEqualTo(30 - unauthorized);
        assertThat(RawHttp.status(RawHttp.get(port, "/v1/providers", ""))).as("no key at all is limited too")
            .isEqualTo(429);
        time.advance(Duration.ofSeconds(1));
        assertThat(RawHttp.status(RawHttp.get(port, "/v1/providers", "X-API-Key: guess-again\r\n")))
            .as("a second later, one attempt is regained").isEqualTo(401);
        assertThat(RawHttp.status(RawHttp.get(port, "/v1/providers", "X-API-Key: guess-more\r\n")))
            .as("and only one").isEqualTo(429);
        // Counted by this context's own meters: the shared emulators may still see a late call of another context.
        assertThat(meters.find("roomgate.provider.calls").timers()).allSatisfy(
                timer -> assertThat(timer.count()).as(timer.getId().toString()).isZero());
    }
}
