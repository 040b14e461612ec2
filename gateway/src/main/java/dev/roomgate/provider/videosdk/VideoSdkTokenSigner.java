package dev.roomgate.provider.videosdk;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.config.Secret;
import dev.roomgate.provider.Hmac;

/**
 * A VideoSDK management token: an HS256 JWT for the v2 REST API ({@code version} 2, role {@code crawler}), with the
 * claims in the order the official server SDK writes them.
 */
public final class VideoSdkTokenSigner {

    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final JsonMapper mapper;

    private final String apiKey;

    private final Secret secret;

    public VideoSdkTokenSigner(JsonMapper mapper, String apiKey, Secret secret) {
        this.mapper = mapper;
        this.apiKey = apiKey;
        this.secret = secret;
    }

    public String sign(Instant issuedAt, Duration validity) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("apikey", apiKey);
        claims.put("permissions", List.of("allow_join", "allow_mod"));
        claims.put("version", 2);
        claims.put("roles", List.of("crawler"));
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plus(validity).getEpochSecond());
        String signingInput = encode(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + encode(mapper.writeValueAsBytes(claims));
        byte[] signature = Hmac.sha256(secret.utf8(), signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + encode(signature);
    }

    private static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
