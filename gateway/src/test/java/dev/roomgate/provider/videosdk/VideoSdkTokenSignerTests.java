package dev.roomgate.provider.videosdk;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.config.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class VideoSdkTokenSignerTests {

    @Test
    void producesTheOfficialSdksTokenByteForByte() {
        VideoSdkTokenSigner signer = new VideoSdkTokenSigner(JsonMapper.builder().build(), "test-api-key",
                Secret.of("test-secret"));

        String token = signer.sign(Instant.ofEpochSecond(1700000000L), Duration.ofSeconds(86400));

        assertThat(token).isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                + "eyJhcGlrZXkiOiJ0ZXN0LWFwaS1rZXkiLCJwZXJtaXNzaW9ucyI6WyJhbGxvd19qb2luIiwiYWxsb3dfbW9kIl0sInZlcnNpb24iOjIsInJvbGVzIjpbImNyYXdsZXIiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwODY0MDB9."
                + "O0aYitbOEXxtRFLoLfp5R549MTLzA8qhUO_P4-P-eQI");
    }
}
