package dev.roomgate.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

/**
 * Each class of VideoSDK HTTP status (providers.md 8.3) in the public answer. A 429 pauses the shared instance for
 * every later test, so it is held to {@code VideoSdkClientTests}, on an instance of its own.
 */
class VideoSdkErrorsEndToEndTests extends CacheOffIntegrationTest {

    @ParameterizedTest(name = "HTTP {0} answered {1} times is {2} ({3}), retries {4}")
    @CsvSource(nullValues = "-", value = {
        // HTTP, times, status,          answer, retries, error code
        "400,   5,     upstream_error,  502,    0,       UPSTREAM_HTTP_400",
        "401,   5,     auth_failed,     502,    0,       UPSTREAM_AUTH_REJECTED",
        "403,   5,     auth_failed,     502,    0,       UPSTREAM_AUTH_REJECTED",
        "402,   5,     not_found,       404,    0,       -",
        "404,   5,     not_found,       404,    0,       -",
        "409,   5,     upstream_error,  502,    0,       UPSTREAM_HTTP_409",
        "503,   1,     ok,              200,    1,       -",
        "502,   5,     upstream_error,  502,    -,       UPSTREAM_HTTP_502" })
    void eachStatusClassGivesItsStatus(int http, int times, String status, int answer, Integer retries,
            String code) {
        emulators.videoSdk.failNextTimes(times, http);
        var body = client.get()
            .uri("/v1/rooms/{id}?providers={p}&participants=false", DemoRooms.DEMO_STANDUP, ProviderEmulators.VIDEOSDK)
            .exchange()
            .expectStatus().isEqualTo(answer)
            .expectBody()
            .jsonPath("$.providers[0].status").isEqualTo(status);
        if (retries != null) {
            body.jsonPath("$.providers[0].retries").isEqualTo(retries);
        }
        if (code == null) {
            body.jsonPath("$.providers[0].error").doesNotExist();
        }
        else {
            body.jsonPath("$.providers[0].error.code").isEqualTo(code)
                .jsonPath("$.providers[0].error.httpStatus").isEqualTo(http);
        }
    }
}
