package dev.roomgate.observability;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialRedactorTests {

    private static final String USERSIG = "eJwtzEELgjAYBuD-8p0j9m1uTqGDh0iiCzUQ*4YdRZYxNadN2*Jz0";

    @Test
    void removesTheUserSigFromAClientExceptionMessage() {
        URI uri = URI.create("https://adminapisgp.example.com/v4/live_engine_http_srv/get_room_info?sdkappid=1400000000"
                + "&identifier=administrator&usersig=" + USERSIG + "&random=99&contenttype=json");
        WebClientResponseException error = WebClientResponseException.create(502, "Bad Gateway", new HttpHeaders(),
                new byte[0], StandardCharsets.UTF_8, null);
        String message = error.getMessage() + " from POST " + uri;

        String redacted = CredentialRedactor.redact(message);

        assertThat(redacted).doesNotContain(USERSIG).contains("usersig=[REDACTED]&random=99");
    }

    @Test
    void removesJwtsSignaturesAndAuthorizationValues() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhcGlrZXkiOiJrIn0.O0aYitbOEXxtRFLoLfp5R549MTLzA8qhUO_P4-P-eQI";
        String text = "headers: [Authorization:\"" + jwt + "\", HASH-SIGNATURE:\"4b60a468df680c0739f6c7255626b31c\"]"
                + " token " + jwt + " API-KEY: plugnmeet-prod";
        assertThat(CredentialRedactor.redact(text)).doesNotContain(jwt, "4b60a468df680c0739f6c7255626b31c",
                "plugnmeet-prod");
    }

    @Test
    void removesRegisteredSecretsVerbatim() {
        CredentialRedactor.register("a-configured-secret-value");
        assertThat(CredentialRedactor.redact("boom: a-configured-secret-value!")).isEqualTo("boom: [REDACTED]!");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "provider=tencent-sg status=timeout code=UPSTREAM_TIMEOUT message=no answer within 2s";
        assertThat(CredentialRedactor.redact(text)).isEqualTo(text);
    }
}
