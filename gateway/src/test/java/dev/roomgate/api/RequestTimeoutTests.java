package dev.roomgate.api;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTimeoutTests {

    private static Duration parse(String... values) {
        HttpHeaders headers = new HttpHeaders();
        for (String value : values) {
            headers.add(RequestTimeout.HEADER, value);
        }
        return RequestTimeout.parse(headers);
    }

    @Test
    void noHeaderLeavesTheGatewaysOwnBudget() {
        assertThat(parse()).isNull();
    }

    @Test
    void wholeMillisecondsAreTakenAsSentAndTooShortIsRaisedToTheFloor() {
        assertThat(parse("750")).isEqualTo(Duration.ofMillis(750));
        assertThat(parse(" 1200 ")).isEqualTo(Duration.ofMillis(1200));
        assertThat(parse("1")).isEqualTo(RequestTimeout.MIN);
        assertThat(parse("99999999")).isEqualTo(Duration.ofMillis(99_999_999));
    }

    @Test
    void anythingElseIsAProblemNamingTheHeader() {
        for (String bad : new String[] { "", "0", "-1", "1.5", "1e3", "500ms", "+500", "123456789", "٣٠٠" }) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(RejectedRequest.class)
                .hasMessageContaining("X-Request-Timeout");
        }
        assertThatThrownBy(() -> parse("500", "900")).isInstanceOf(RejectedRequest.class)
            .hasMessageContaining("once");
    }
}
