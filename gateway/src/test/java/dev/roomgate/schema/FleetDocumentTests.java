package dev.roomgate.schema;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet view's status from its instances' listings (contract 2.1): 200 when any listing could be used. */
class FleetDocumentTests {

    private static ProviderResult result(ProviderStatus status, String code) {
        ProviderError error = code == null ? null : new ProviderError(code, "why", null, null);
        return new ProviderResult("p", ProviderType.TENCENT, status, 1, 0, Source.UPSTREAM, null, error);
    }

    private static int status(ProviderResult... results) {
        return new FleetDocument(false, Instant.EPOCH, null, List.of(), List.of(results)).httpStatus();
    }

    @Test
    void aListingReadOrReusedOrReadInPartIsAnAnswer() {
        assertThat(status(result(ProviderStatus.OK, null))).isEqualTo(200);
        assertThat(status(result(ProviderStatus.STALE, "UPSTREAM_HTTP_503"))).isEqualTo(200);
        assertThat(status(result(ProviderStatus.TIMEOUT, ProviderError.LISTING_PARTIAL),
                result(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_500"))).isEqualTo(200);
    }

    @Test
    void noListingAtAllIsABadGateway() {
        assertThat(status(result(ProviderStatus.TIMEOUT, "LISTING_IN_PROGRESS"),
                result(ProviderStatus.RATE_LIMITED, "QUOTA_EXHAUSTED"))).isEqualTo(502);
        assertThat(status(result(ProviderStatus.TIMEOUT, "UPSTREAM_TIMEOUT"))).isEqualTo(502);
    }
}
