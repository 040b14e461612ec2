package dev.roomgate.observability;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.roomgate.config.Secret;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.provider.plugnmeet.PlugNmeetSigner;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the HTTP client's wire logging on (it prints full request URIs, Tencent's with the UserSig) and every
 * provider failing in a different way, nothing that authenticates us reaches the log.
 */
@TestPropertySource(properties = {
        "logging.level.org.springframework.web.reactive.function.client=TRACE", "logging.level.reactor.netty=DEBUG",
        "logging.level.dev.roomgate=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class NoCredentialsInLogsTests extends RoomgateIntegrationTest {

    static final int CLOSED_PORT = closedPort();

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        // Every request must reach the failing upstreams, not a cached answer.
        registry.add("roomgate.cache.enabled", () -> "false");
        // A second VideoSDK instance nobody listens for: connection failures carry the URI in their messages.
        registry.add("roomgate.providers.videosdk-down.type", () -> "videosdk");
        registry.add("roomgate.providers.videosdk-down.base-url", () -> "http://127.0.0.1:" + CLOSED_PORT);
        registry.add("roomgate.providers.videosdk-down.credentials.api-key", () -> DemoRooms.VIDEOSDK_API_KEY);
        registry.add("roomgate.providers.videosdk-down.credentials.secret", () -> DemoRooms.VIDEOSDK_SECRET);
    }

    @Test
    void noCredentialReachesTheLogWhateverFails(CapturedOutput output) {
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange().expectStatus().isOk();
        emulators.tencent.failWith(500, "internal error");
        emulators.plugNmeet.failWith(502, null);
        emulators.videoSdk.failWith(200, "{not json");
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP).exchange().expectStatus().isEqualTo(502);

        // Logging is asynchronous: wait until the wire log of the failing calls has been written, then read it all.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!output.getAll().contains("usersig=" + CredentialRedactor.MASK) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        String log = output.getAll();
        assertThat(log).as("the wire log really printed Tencent URIs").contains("usersig=" + CredentialRedactor.MASK);
        assertThat(log).doesNotContain(DemoRooms.PLUGNMEET_API_SECRET, DemoRooms.TENCENT_SECRET_KEY,
                DemoRooms.VIDEOSDK_SECRET);
        assertThat(Pattern.compile("(?i)usersig=(?!\\[REDACTED\\])").matcher(log).find()).isFalse();
        assertThat(Pattern.compile("eyJ[A-Za-z0-9_-]+\\.eyJ").matcher(log).find()).as("a JWT").isFalse();
        assertThat(Pattern.compile("\\beJ[A-Za-z0-9*_-]{40,}").matcher(log).find()).as("a UserSig").isFalse();
        String signature = PlugNmeetSigner.sign(Secret.of(DemoRooms.PLUGNMEET_API_SECRET),
                ("{\"room_id\":\"" + DemoRooms.DEMO_STANDUP + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(log).doesNotContain(signature);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
