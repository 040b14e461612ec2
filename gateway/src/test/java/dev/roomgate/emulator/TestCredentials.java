package dev.roomgate.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Client-side signing for the emulator tests, written from providers.md independently of the emulators. */
final class TestCredentials {

    private TestCredentials() {
    }

    static String plugNmeetSignature(String secret, String body) {
        return HexFormat.of().formatHex(hmac(secret, body));
    }

    /** A VideoSDK management token exactly as the official server SDK builds one (providers.md 3.1). */
    static String videoSdkToken(String apiKey, String secret, long iat, long exp) {
        return hs256(secret, "{\"apikey\":\"" + apiKey + "\",\"permissions\":[\"allow_join\",\"allow_mod\"],"
                + "\"version\":2,\"roles\":[\"crawler\"],\"iat\":" + iat + ",\"exp\":" + exp + "}");
    }

    static String hs256(String secret, String payloadJson) {
        return jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson, secret);
    }

    static String jwt(String headerJson, String payloadJson, String secret) {
        Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = base64Url.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + base64Url.encodeToString(hmac(secret, signingInput));
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static byte[] hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
