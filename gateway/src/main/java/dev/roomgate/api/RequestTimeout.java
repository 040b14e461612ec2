package dev.roomgate.api;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;

/**
 * {@code X-Request-Timeout: <milliseconds>} (contract 2.6): how long the client will wait for the whole answer.
 * Roomgate then plans retries and paging within it; the aggregator clamps it to each instance's {@code timeout}
 * and to at least {@link #MIN}.
 */
final class RequestTimeout {

    static final String HEADER = "X-Request-Timeout";

    /** Below this no attempt could start: the budget's own floor ({@code CallBudget.MIN_ATTEMPT}). */
    static final Duration MIN = Duration.ofMillis(50);

    // Digits only, and few of them: a day is far beyond any budget, and a longer value is a mistake, not a wish.
    private static final int MAX_DIGITS = 8;

    private RequestTimeout() {
    }

    /**
     * @return the client's timeout, at least {@link #MIN}; null when it sent none
     * @throws RejectedRequest 400 for anything but one whole, positive number of milliseconds
     */
    static Duration parse(HttpHeaders headers) {
        List<String> values = headers.getOrEmpty(HEADER);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw RejectedRequest.badRequest("invalid-request-timeout", HEADER + " may be sent once");
        }
        String value = values.get(0).strip();
        if (value.isEmpty() || value.length() > MAX_DIGITS || !value.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(value) == 0) {
            throw RejectedRequest.badRequest("invalid-request-timeout",
                    HEADER + " must be a whole number of milliseconds, from 1 to 99999999");
        }
        Duration asked = Duration.ofMillis(Long.parseLong(value));
        return asked.compareTo(MIN) < 0 ? MIN : asked;
    }
}
