package dev.roomgate.provider.videosdk;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpHeaders;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.FailureClass;
import dev.roomgate.provider.UpstreamReply;
import dev.roomgate.schema.ProviderStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The HTTP status table of providers.md 8.3, row by row, then the rule for statuses it lacks. */
class VideoSdkErrorsTests {

    @ParameterizedTest(name = "HTTP {0} is {1}, retryable {2}, code {3}")
    @CsvSource({
        "400, UPSTREAM_ERROR, false, UPSTREAM_HTTP_400",
        "401, AUTH_FAILED,    false, UPSTREAM_AUTH_REJECTED",
        "403, AUTH_FAILED,    false, UPSTREAM_AUTH_REJECTED",
        "409, UPSTREAM_ERROR, false, UPSTREAM_HTTP_409",
        "429, RATE_LIMITED,   true,  UPSTREAM_RATE_LIMITED",
        "500, UPSTREAM_ERROR, true,  UPSTREAM_HTTP_500",
        "501, UPSTREAM_ERROR, false, UPSTREAM_HTTP_501",
        "502, UPSTREAM_ERROR, true,  UPSTREAM_HTTP_502",
        "503, UPSTREAM_ERROR, true,  UPSTREAM_HTTP_503",
        "504, UPSTREAM_ERROR, true,  UPSTREAM_HTTP_504",
        // Not in the table: 5xx is VideoSDK's passing fault, as its own client retries it; any other 4xx is ours.
        "507, UPSTREAM_ERROR, true,  UPSTREAM_HTTP_507",
        "599, UPSTREAM_ERROR, true,  UPSTREAM_HTTP_599",
        "405, UPSTREAM_ERROR, false, UPSTREAM_HTTP_405",
        "418, UPSTREAM_ERROR, false, UPSTREAM_HTTP_418",
        "451, UPSTREAM_ERROR, false, UPSTREAM_HTTP_451",
        "302, UPSTREAM_ERROR, false, UPSTREAM_HTTP_302" })
    void everyStatusIsClassifiedAsTheTableSays(int status, ProviderStatus expected, boolean retryable, String code) {
        ProviderException failure = VideoSdkErrors.failure(reply(status, new HttpHeaders()), "E42");

        assertThat(failure.status()).isEqualTo(expected);
        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.code()).isEqualTo(code);
        assertThat(failure.httpStatus()).isEqualTo(status);
        assertThat(failure.upstreamCode()).isEqualTo("E42");
        assertThat(failure.getMessage()).endsWith("(HTTP " + status + ")");
    }

    @ParameterizedTest(name = "HTTP {0} means the thing is not there")
    @CsvSource({ "402", "404" })
    void notFoundStatusesAreAnAnswerNotAFailure(int status) {
        assertThat(VideoSdkErrors.verdictOf(status)).isEqualTo(FailureClass.NOT_FOUND);
        assertThatIllegalArgumentException().isThrownBy(() -> VideoSdkErrors.failure(reply(status, new HttpHeaders()),
                null));
    }

    @Test
    void aThrottleKeepsItsRetryAfterAndVideoSdksEightSecondCeiling() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "3");
        ProviderException named = VideoSdkErrors.failure(reply(429, headers), null);
        ProviderException unnamed = VideoSdkErrors.failure(reply(429, new HttpHeaders()), null);

        assertThat(named.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(unnamed.retryAfter()).isNull();
        assertThat(unnamed.backoffCeiling()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void otherFailuresHaveNoBackoffOfTheirOwn() {
        assertThat(VideoSdkErrors.failure(reply(503, new HttpHeaders()), null).backoffCeiling()).isNull();
        assertThat(VideoSdkErrors.failure(reply(503, new HttpHeaders()), null).retryAfter()).isNull();
    }

    private static UpstreamReply reply(int status, HttpHeaders headers) {
        return new UpstreamReply(status, headers, "{}".getBytes(StandardCharsets.UTF_8));
    }
}
