package dev.roomgate.provider.tencent;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.schema.ProviderStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The error table, row by row: every code of providers.md 8.1, then its range rules for codes it lacks. */
class TencentErrorsTests {

    @ParameterizedTest(name = "{0} is {1}, retryable {2}, pause {3} s, new UserSig {4}")
    @CsvSource(nullValues = "-", value = {
        // code,  status,         retryable, pause (s), mints a new UserSig
        "60002,  UPSTREAM_ERROR, false, -,  false",
        "60003,  UPSTREAM_ERROR, false, -,  false",
        "60004,  AUTH_FAILED,    true,  -,  true",
        "60005,  AUTH_FAILED,    true,  -,  true",
        "60006,  AUTH_FAILED,    false, -,  false",
        "60007,  RATE_LIMITED,   true,  -,  false",
        "60008,  UPSTREAM_ERROR, true,  -,  false",
        "60009,  UPSTREAM_ERROR, false, -,  false",
        "60010,  AUTH_FAILED,    false, -,  false",
        "60011,  RATE_LIMITED,   true,  -,  false",
        "60012,  UPSTREAM_ERROR, false, -,  false",
        "60013,  UPSTREAM_ERROR, true,  -,  false",
        "60014,  UPSTREAM_ERROR, true,  -,  false",
        "60015,  UPSTREAM_ERROR, false, -,  false",
        "60016,  AUTH_FAILED,    false, -,  false",
        "60017,  AUTH_FAILED,    false, -,  false",
        "60018,  RATE_LIMITED,   true,  -,  false",
        "60019,  RATE_LIMITED,   true,  -,  false",
        "60020,  UPSTREAM_ERROR, false, -,  false",
        "60021,  AUTH_FAILED,    false, -,  false",
        "70001,  AUTH_FAILED,    true,  -,  true",
        "70002,  AUTH_FAILED,    true,  -,  true",
        "70003,  AUTH_FAILED,    true,  -,  true",
        "70005,  AUTH_FAILED,    true,  -,  true",
        "70009,  AUTH_FAILED,    false, -,  false",
        "70013,  AUTH_FAILED,    false, -,  false",
        "70014,  AUTH_FAILED,    false, -,  false",
        "70016,  AUTH_FAILED,    false, -,  false",
        "70020,  AUTH_FAILED,    false, -,  false",
        "70050,  RATE_LIMITED,   false, 60, false",
        "70107,  AUTH_FAILED,    false, -,  false",
        "70169,  UPSTREAM_ERROR, true,  -,  false",
        "70202,  UPSTREAM_ERROR, true,  -,  false",
        "70402,  UPSTREAM_ERROR, false, -,  false",
        "70403,  AUTH_FAILED,    false, -,  false",
        "70500,  UPSTREAM_ERROR, true,  -,  false",
        "80002,  UPSTREAM_ERROR, false, -,  false",
        "90001,  UPSTREAM_ERROR, false, -,  false",
        "91000,  UPSTREAM_ERROR, true,  -,  false",
        "100001, UPSTREAM_ERROR, true,  -,  false",
        "100002, UPSTREAM_ERROR, false, -,  false",
        "100006, UPSTREAM_ERROR, false, -,  false",
        "100211, UPSTREAM_ERROR, false, -,  false",
        // The range rules: 60000-60999 permanent unless listed, 70000-70999 auth (no new UserSig), 1000xx
        // permanent (100003, 100005, 100007-100012 are named in 8.1 as not found in the stored pages), others too.
        "60000,  UPSTREAM_ERROR, false, -,  false",
        "60999,  UPSTREAM_ERROR, false, -,  false",
        "70000,  AUTH_FAILED,    false, -,  false",
        "70777,  AUTH_FAILED,    false, -,  false",
        "70999,  AUTH_FAILED,    false, -,  false",
        "100003, UPSTREAM_ERROR, false, -,  false",
        "100005, UPSTREAM_ERROR, false, -,  false",
        "100007, UPSTREAM_ERROR, false, -,  false",
        "100012, UPSTREAM_ERROR, false, -,  false",
        "71000,  UPSTREAM_ERROR, false, -,  false",
        "10006,  UPSTREAM_ERROR, false, -,  false",
        "-1,     UPSTREAM_ERROR, false, -,  false" })
    void everyCodeIsClassifiedAsTheTableSays(int code, ProviderStatus status, boolean retryable, Integer pauseSeconds,
            boolean renewsUserSig) {
        ProviderException failure = TencentErrors.classify(code);

        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.retryAfter()).isEqualTo(pauseSeconds == null ? null : Duration.ofSeconds(pauseSeconds));
        assertThat(failure.httpStatus()).isEqualTo(200);
        assertThat(failure.upstreamCode()).isEqualTo(Integer.toString(code));
        assertThat(failure.code()).startsWith("UPSTREAM_");
        assertThat(TencentErrors.classOf(code).renewsUserSig()).isEqualTo(renewsUserSig);
        if (renewsUserSig) {
            ProviderException again = TencentErrors.refusedAgain(code);
            assertThat(again.status()).isEqualTo(ProviderStatus.AUTH_FAILED);
            assertThat(again.retryable()).as("a UserSig is minted afresh once, then the call fails").isFalse();
        }
    }

    @Test
    void roomDoesNotExistIsNotFound() {
        assertThat(TencentErrors.classOf(100004)).isEqualTo(TencentErrorClass.NOT_FOUND);
    }

    @Test
    void aKnownCodeIsNamedInOurWordsAndAnUnknownOneByItsNumber() {
        assertThat(TencentErrors.classify(70050).getMessage())
            .isEqualTo("Tencent locked us out for a minute after too many UserSig checks (70050)");
        assertThat(TencentErrors.classify(65432).getMessage()).isEqualTo("Tencent answered error 65432");
    }
}
