package dev.roomgate.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.schema.ProviderStatus;

/** The classification of a non-2xx upstream answer that all three providers share. */
public final class HttpFailures {

    private HttpFailures() {
    }

    public static ProviderException classify(UpstreamReply reply) {
        return classify(reply, null);
    }

    /** @param upstreamCode the provider's own error code from the body, where the caller could read one */
    public static ProviderException classify(UpstreamReply reply, String upstreamCode) {
        int status = reply.status();
        if (status == 429) {
            return ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                    "the provider's own rate limit refused the call (HTTP 429)")
                .answered(status, upstreamCode)
                .retryable(true)
                .retryAfter(retryAfter(reply))
                .build();
        }
        if (status == 401 || status == 403) {
            return ProviderException.of(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED",
                    "the provider rejected our credentials").answered(status, upstreamCode).build();
        }
        // A 500 is as often a passing fault as a 502-504 (providers.md 8.1 and 8.3 class 5xx as transient; 501 says
        // the provider will never serve the call), and the retry budget bounds what retrying a lasting 500 costs.
        boolean transientStatus = status == 500 || status == 502 || status == 503 || status == 504;
        return ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_" + status,
                "the provider answered HTTP " + status)
            .answered(status, upstreamCode)
            .retryable(transientStatus)
            .build();
    }

    /** The reply's Retry-After (see {@link #retryAfter(String, String)}), or null. */
    public static Duration retryAfter(UpstreamReply reply) {
        return retryAfter(reply.headers().getFirst("Retry-After"), reply.headers().getFirst("Date"));
    }

    /**
     * Retry-After as delta-seconds, or as an HTTP date measured against the reply's own {@code Date}: both are the
     * provider's clock, so a skew between its clock and ours changes nothing. Null when absent or unreadable, or a
     * date without a {@code Date} to measure it against.
     */
    static Duration retryAfter(String value, String replyDate) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(httpDate(replyDate), httpDate(value));
                return wait.isNegative() ? Duration.ZERO : wait;
            }
            catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static Instant httpDate(String value) {
        return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }
}
