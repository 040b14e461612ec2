package dev.roomgate.provider.plugnmeet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.FailureClass;
import dev.roomgate.schema.ProviderStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** plugNmeet's refusal tables (providers.md 8.2), row by row: every status code, by name and number, then messages. */
class PlugNmeetErrorsTests {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "ROOM_NOT_FOUND,             NOT_FOUND",
        "ROOM_NOT_ACTIVE,            NOT_FOUND",
        "NOT_FOUND,                  NOT_FOUND",
        "INVALID_TOKEN_OR_SIGNATURE, REFUSED",
        "INVALID_API_KEY,            REFUSED",
        "PERMISSION_DENIED,          REFUSED",
        "INTERNAL_SERVER_ERROR,      TRANSIENT",
        "INVALID_PARAMETERS,         PERMANENT",
        "MISSING_REQUIRED_PARAMETER, PERMANENT",
        "CONFLICT,                   PERMANENT",
        "USER_NOT_FOUND,             PERMANENT",
        "USER_BLOCKED,               PERMANENT",
        "USER_NOT_ACTIVE,            PERMANENT",
        // A code newer than our table: permanent, and kept as upstreamCode (below).
        "ROOM_ARCHIVED,              PERMANENT" })
    void everyStatusCodeHasItsVerdict(String code, FailureClass verdict) {
        assertThat(PlugNmeetErrors.verdictOf(PlugNmeetErrors.statusCode(code), "no room found")).isEqualTo(verdict);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({ "2, PERMISSION_DENIED", "3, NOT_FOUND", "5, INVALID_TOKEN_OR_SIGNATURE", "7, INTERNAL_SERVER_ERROR",
        "10, ROOM_NOT_FOUND", "14, ROOM_NOT_ACTIVE", "15, 15", "999, 999" })
    void numberedCodesAreTheEnumsNames(String sent, String name) {
        assertThat(PlugNmeetErrors.statusCode(sent)).isEqualTo(name);
    }

    @ParameterizedTest(name = "status code \"{0}\" defers to the message")
    @CsvSource(nullValues = "-", value = { "-", "''", "UNKNOWN_STATUS", "0" })
    void noCodeDefersToTheMessage(String sent) {
        assertThat(PlugNmeetErrors.statusCode(sent)).isNull();
    }

    @ParameterizedTest(name = "legacy \"{0}\" is {1}")
    @CsvSource(nullValues = "-", value = {
        "no room found,                  NOT_FOUND",   // v1.1.8 … v2.1.8
        "room is not active,             NOT_FOUND",   // v1.9.3 … v2.4.0
        "room not found in active state, NOT_FOUND",   // v2.2.0 …
        "no active room found,           NOT_FOUND",   // the listing, v2.1.7 …
        "'  No Room Found '     ,        NOT_FOUND",
        "redis: nil,                     PERMANENT",   // v1.1.8 … v1.6.2 sent a load error's raw text
        "room_id required,               PERMANENT",
        "-,                              PERMANENT" })
    void legacyMessagesHaveTheirVerdict(String message, FailureClass verdict) {
        assertThat(PlugNmeetErrors.verdictOf(null, message)).isEqualTo(verdict);
    }

    @ParameterizedTest(name = "{0} fails {1}, retryable {2}, code {3}")
    @CsvSource({
        "REFUSED,   AUTH_FAILED,    false, UPSTREAM_AUTH_REJECTED",
        "TRANSIENT, UPSTREAM_ERROR, true,  UPSTREAM_INTERNAL_ERROR",
        "PERMANENT, UPSTREAM_ERROR, false, UPSTREAM_REJECTED" })
    void eachFailingVerdictIsItsFailure(FailureClass verdict, ProviderStatus status, boolean retryable, String code) {
        ProviderException failure = PlugNmeetErrors.failure(verdict, "SOME_CODE");
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.code()).isEqualTo(code);
        assertThat(failure.httpStatus()).isEqualTo(200);
        assertThat(failure.upstreamCode()).isEqualTo("SOME_CODE");
        assertThat(failure.retryAfter()).isNull();
    }

    @Test
    void notFoundIsAnAnswerNotAFailure() {
        assertThatIllegalArgumentException().isThrownBy(() -> PlugNmeetErrors.failure(FailureClass.NOT_FOUND, null));
    }
}
