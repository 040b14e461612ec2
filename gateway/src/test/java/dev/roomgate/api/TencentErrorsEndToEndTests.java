package dev.roomgate.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

/**
 * Each class of Tencent error (providers.md 8.1), as the emulator answers it, in the public answer. The throttling
 * and lock-out classes pause the shared instance for every later test, so they are held to it in
 * {@code TencentClientTests}, on an instance of their own.
 */
class TencentErrorsEndToEndTests extends CacheOffIntegrationTest {

    @ParameterizedTest(name = "{0} answered {1} times is {2} ({3}), retries {4}")
    @CsvSource(nullValues = "-", value = {
        // code,  times, status,          HTTP, retries, upstreamCode
        "60002,  5,     upstream_error,  502,  0,       60002",   // permanent
        "60006,  5,     auth_failed,     502,  0,       60006",   // credentials wrong
        "70107,  5,     auth_failed,     502,  0,       70107",   // our identifier unknown (see TencentErrors)
        "70001,  1,     ok,              200,  1,       -",       // UserSig expired: minted afresh, asked again
        "70003,  5,     auth_failed,     502,  1,       70003",   // refused again when fresh: one retry only
        "60008,  1,     ok,              200,  1,       -",       // transient, then an answer
        "70500,  5,     upstream_error,  502,  -,       70500",   // transient until the budget ends
        "100004, 5,     not_found,       404,  0,       -",
        "65000,  5,     upstream_error,  502,  0,       65000" })  // unknown: by range, code kept
    void eachErrorClassGivesItsStatus(int code, int times, String status, int httpStatus, Integer retries,
            String upstreamCode) {
        emulators.tencent.failNextWithErrorCode(times, code);
        var body = client.get()
            .uri("/v1/rooms/{id}?providers={p}&participants=false", DemoRooms.DEMO_STANDUP, ProviderEmulators.TENCENT)
            .exchange()
            .expectStatus().isEqualTo(httpStatus)
            .expectBody()
            .jsonPath("$.providers[0].status").isEqualTo(status);
        if (retries != null) {
            body.jsonPath("$.providers[0].retries").isEqualTo(retries);
        }
        if (upstreamCode == null) {
            body.jsonPath("$.providers[0].error").doesNotExist();
        }
        else {
            body.jsonPath("$.providers[0].error.upstreamCode").isEqualTo(upstreamCode)
                .jsonPath("$.providers[0].error.httpStatus").isEqualTo(200);
        }
    }
}
