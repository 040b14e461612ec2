package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** OAuth2 bearer tokens checked against a real JWKS endpoint, and the usual attacks on them. */
class BearerTokenTests extends RoomgateIntegrationTest {

    static final String ISSUER = "https://idp.example.test/";

    static final RSAKey SIGNING = rsa("k1");

    static final RSAKey IMPOSTOR = rsa("k1");

    static final MockWebServer identityProvider = jwks(SIGNING);

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.cache.enabled", () -> "false");
        registry.add("roomgate.security.jwt.jwk-set-uri", () -> identityProvider.url("/jwks").toString());
        registry.add("roomgate.security.jwt.issuer", () -> ISSUER);
        // Longer than this class runs, however slow the machine: one fetch at most for the whole flood below.
        registry.add("roomgate.security.jwt.refresh-min-interval", () -> "10m");
        // The flood below comes from one address; its 429 is FailedAttemptsTests' subject, not this class's.
        registry.add("roomgate.security.failed-attempts.burst", () -> "100000");
    }

    static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static MockWebServer jwks(RSAKey key) {
        MockWebServer server = new MockWebServer();
        String body = new JWKSet(key.toPublicJWK()).toString();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body)
                    .build();
            }
        });
        try {
            server.start();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return server;
    }

    @AfterAll
    static void stop() {
        identityProvider.close();
    }

    static JWTClaimsSet.Builder claims(String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("dashboard-7").issuer(ISSUER).audience("roomgate")
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("scope", scope);
    }

    static String sign(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        return sign(key, key.getKeyID(), claims);
    }

    static String sign(RSAKey key, String keyId, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private WebTestClient.ResponseSpec ask(String path, String token) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().get().uri(path)
            .header("Authorization", "Bearer " + token).exchange();
    }

    @Test
    void aValidTokenIsServedWithWhatItsScopesAllow() throws Exception {
        ask("/v1/rooms/" + DemoRooms.DEMO_STANDUP, sign(SIGNING, claims("roomgate:rooms roomgate:participants").build()))
            .expectStatus().isOk()
            .expectBody().jsonPath("$.rooms[0].participants.length()").isEqualTo(5);
        ask("/v1/rooms/" + DemoRooms.DEMO_STANDUP, sign(SIGNING, claims("roomgate:rooms").build()))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.rooms[*].participants").value(lists -> assertThat((List<?>) lists).containsOnlyNulls())
            .jsonPath("$.rooms[*].ownerId").value(owners -> assertThat((List<?>) owners).containsOnlyNulls());
    }

    @Test
    void aValidTokenWithoutTheScopeIs403() throws Exception {
        ask("/v1/rooms/" + DemoRooms.DEMO_STANDUP, sign(SIGNING, claims("openid profile").build()))
            .expectStatus().isForbidden();
        ask("/v1/providers", sign(SIGNING, claims("roomgate:rooms").build())).expectStatus().isForbidden();
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void forgedExpiredOrMisaddressedTokensAre401() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        String unsigned = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        claims("roomgate:rooms").build().toString().getBytes(StandardCharsets.UTF_8)) + ".";
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                claims("roomgate:rooms").build());
        confused.sign(new MACSigner(SIGNING.toPublicJWK().toRSAPublicKey().getEncoded()));
        List<String> bad = List.of(
                sign(SIGNING, claims("roomgate:rooms").expirationTime(Date.from(past)).build()),
                sign(SIGNING, claims("roomgate:rooms").issuer("https://other-idp.example.test/").build()),
                sign(SIGNING, claims("roomgate:rooms").audience("someone-else").build()),
                sign(IMPOSTOR, claims("roomgate:rooms").build()),
                sign(SIGNING, claims("roomgate:rooms").expirationTime(null).build()),
                unsigned,
                confused.serialize(),
                "not-a-jwt-at-all");
        for (String token : bad) {
            ask("/v1/rooms/" + DemoRooms.DEMO_STANDUP, token)
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"roomgate\", error=\"invalid_token\"");
        }
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void aFloodOfUnknownKeyIdsFetchesTheKeySetAtMostOnce() throws Exception {
        ask("/v1/providers", sign(SIGNING, claims("roomgate:providers").build())).expectStatus().isOk();
        int fetchedBefore = identityProvider.getRequestCount();
        // Forty key ids the key set does not hold; one stranger's key signs them all, since what sends the gateway
        // back to the key set is the id, and a 2048-bit key costs a second to generate on a slow machine.
        RSAKey stranger = rsa("stranger");
        List<String> strangers = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            strangers.add(sign(stranger, "unknown-" + i, claims("roomgate:rooms").build()));
        }
        reactor.core.publisher.Flux.fromIterable(strangers)
            .flatMap(token -> WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().get()
                .uri("/v1/rooms/" + DemoRooms.DEMO_STANDUP).header("Authorization", "Bearer " + token)
                .exchange().returnResult(String.class).getResponseBody().then(reactor.core.publisher.Mono.just(1)), 20)
            .blockLast(java.time.Duration.ofSeconds(60));
        for (String token : strangers.subList(0, 3)) {
            ask("/v1/rooms/" + DemoRooms.DEMO_STANDUP, token).expectStatus().isUnauthorized();
        }
        assertThat(identityProvider.getRequestCount() - fetchedBefore).as("key set fetches during the flood")
            .isLessThanOrEqualTo(1);
        assertThat(emulators.totalCalls()).isZero();
    }

    @Test
    void aKeySetOverPlainHttpIsRefusedUnlessOnLoopback() {
        BearerTokens.checkJwkSetUri("https://idp.example.test/jwks");
        BearerTokens.checkJwkSetUri("http://127.0.0.1:8099/jwks");
        BearerTokens.checkJwkSetUri("http://localhost/jwks");
        BearerTokens.checkJwkSetUri("http://[::1]:80/jwks");
        for (String refused : List.of("http://idp.example.test/jwks", "http://10.0.0.1/jwks", "ftp://idp/jwks",
                "file:///etc/jwks", "jwks")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BearerTokens.checkJwkSetUri(refused))
                .as(refused).isInstanceOf(dev.roomgate.config.InvalidConfigurationException.class);
        }
    }

    @Test
    void apiKeysStillWork() {
        client.get().uri("/v1/rooms/{id}", DemoRooms.TOWN_HALL).exchange()
            .expectStatus().isOk();
    }
}
