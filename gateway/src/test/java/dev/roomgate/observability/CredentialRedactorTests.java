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

    @Test
    void removesClientApiKeysInAnyCase() {
        String text = "request headers: [X-API-Key:\"client-key-1\", x-api-key=client-key-2] X-API-KEY: client-key-3";
        assertThat(CredentialRedactor.redact(text)).doesNotContain("client-key-1", "client-key-2", "client-key-3")
            .contains("X-API-Key:\"[REDACTED]\"");
    }

    @Test
    void removesAuthorizationInAnyForm() {
        String text = "authorization=Basic dXNlcjpwYXNz AUTHORIZATION: \"Bearer opaque-token-1\"";
        assertThat(CredentialRedactor.redact(text)).doesNotContain("dXNlcjpwYXNz", "opaque-token-1");
    }

    @Test
    void removesRedisPasswordsByNameAndInUrls() {
        String text = "spring.data.redis.password=s3cret-redis SPRING_DATA_REDIS_PASSWORD: s3cret-env "
                + "{\"password\":\"s3cret-json\"} redis://default:s3cret-url@redis:6379 rediss://:s3cret-tls@r:6380";
        String redacted = CredentialRedactor.redact(text);
        assertThat(redacted).doesNotContain("s3cret-redis", "s3cret-env", "s3cret-json", "s3cret-url", "s3cret-tls")
            .contains("redis://default:[REDACTED]@redis:6379");
    }

    @Test
    void redactingTwiceChangesNothing() {
        String once = CredentialRedactor.redact("Authorization: [\"Bearer abc\"] API-KEY: k X-API-Key: c password=p");
        assertThat(CredentialRedactor.redact(once)).isEqualTo(once);
    }

    @Test
    void registersTheRedisPasswordAndEveryConfiguredSecretFromTheEnvironment() {
        var environment = new org.springframework.core.env.StandardEnvironment();
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test",
                java.util.Map.of("spring.data.redis.password", "redis-password-value-1",
                        "SOME_PROVIDER_API_SECRET", "provider-secret-value-2",
                        "roomgate.providers[0].credentials.secret-key", "${SECRET_KEY_SOURCE:indirect-value-3}",
                        "spring.data.redis.url", "rediss://u:url-password-value-4@host:6380",
                        "roomgate.cluster.key-prefix", "ordinary-prefix-value",
                        "roomgate.providers.demo.credentials.api-key", "key-identifier-value")));
        ConfiguredSecrets.register(environment);
        String text = "redis-password-value-1 provider-secret-value-2 indirect-value-3 url-password-value-4 "
                + "ordinary-prefix-value key-identifier-value";
        assertThat(CredentialRedactor.redact(text)).as("a provider's api-key is an identifier, not a secret")
            .isEqualTo("[REDACTED] [REDACTED] [REDACTED] [REDACTED] ordinary-prefix-value key-identifier-value");
    }

    @Test
    void removesBareTokensWithNothingNamingThem() {
        // Nothing here names a credential: only the tokens' own shapes show them (the quick scan must see those).
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhcGlrZXkiOiJrIn0.O0aYitbOEXxtRFLoLfp5R549MTLzA8qhUO_P4-P-eQI";
        assertThat(CredentialRedactor.redact("got " + USERSIG + " then " + jwt + " done"))
            .isEqualTo("got [REDACTED] then [REDACTED] done");
        assertThat(CredentialRedactor.redact("GET /v1/rooms/demo-standup 200 3ms complete=true providers=a:ok,b:ok"))
            .isEqualTo("GET /v1/rooms/demo-standup 200 3ms complete=true providers=a:ok,b:ok");
    }
}
