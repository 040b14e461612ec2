package dev.roomgate.provider.plugnmeet;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.roomgate.config.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class PlugNmeetSignerTests {

    private static final Secret DEMO_SECRET = Secret.of("zumyyYWqv7KR2kUqvYdq4z4sXg7XTBD2ljT6");

    @Test
    void signsTheRoomInfoBodyLikeTheServerExpects() {
        byte[] body = "{\"room_id\":\"room01\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(PlugNmeetSigner.sign(DEMO_SECRET, body))
            .isEqualTo("4b60a468df680c0739f6c7255626b31c8934efc1293b9e40667575b964bf24b5");
    }

    @Test
    void signsTheEmptyObjectBody() {
        assertThat(PlugNmeetSigner.sign(DEMO_SECRET, "{}".getBytes(StandardCharsets.UTF_8)))
            .isEqualTo("d2a7003d22b6b6f94519230776f45e19d2086b20d1711a8eae6b0ee24d51cfeb");
    }

    @Test
    void signatureIsLowercaseHex() {
        assertThat(PlugNmeetSigner.sign(DEMO_SECRET, new byte[] { 1, 2, 3 })).matches("[0-9a-f]{64}");
    }
}
