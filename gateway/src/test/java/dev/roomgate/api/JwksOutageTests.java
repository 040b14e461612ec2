package dev.roomgate.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An issuer whose key set never answers: a token is refused with a 503 problem once the key-set fetch times out,
 * within the request's budget (never a 500, never a hang), and API keys are served meanwhile.
 */
class JwksOutageTests extends RoomgateIntegrationTest {

    static final String ISSUER = "https://idp.example.test/";

    /** Accepts connections and never says a word. */
    static final ServerSocket silentIssuer = silent();

    static final List<Socket> held = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.security.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + silentIssuer.getLocalPort() + "/jwks");
        registry.add("roomgate.security.jwt.issuer", () -> ISSUER);
        registry.add("roomgate.security.jwt.timeout", () -> "300ms");
    }

    static ServerSocket silent() {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    }
                    catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-issuer");
            acceptor.setDaemon(true);
            acceptor.start();
            return socket;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        silentIssuer.close();
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void aHangingKeySetGivesA503ProblemAndKeysStillWork() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject("dashboard").issuer(ISSUER).audience("roomgate")
                    .expirationTime(Date.from(now.plusSeconds(300))).claim("scope", "roomgate:rooms").build());
        jwt.sign(new RSASSASigner(key));
        WebTestClient patient = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(20)).build();
        for (int i = 0; i < 2; i++) {
            patient.get().uri("/v1/rooms/" + DemoRooms.DEMO_STANDUP).header("Authorization", "Bearer " + jwt.serialize())
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.status").isEqualTo(503);
        }
        assertThat(emulators.totalCalls()).isZero();
        client.get().uri("/v1/providers").exchange().expectStatus().isOk();
    }
}
