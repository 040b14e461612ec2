package dev.roomgate.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Webhooks signed the way each provider's own server signs them (providers.md 7), for the emulators to send and the
 * gateway's tests to receive. Written from providers.md alone, with the JDK: nothing here uses the gateway's
 * verifiers or Nimbus, so that a shared misreading cannot make both sides agree.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    /**
     * One webhook request as the provider sends it.
     *
     * @param headers header values by name, in the order sent
     * @param query query parameters by name, in the order sent (not encoded)
     * @param body the exact bytes sent
     */
    public record SignedWebhook(Map<String, String> headers, Map<String, String> query, byte[] body) {

        /** Headers as a multi-valued map, the shape the gateway's request records take. */
        public Map<String, List<String>> headerLists() {
            return lists(headers);
        }

        public Map<String, List<String>> queryLists() {
            return lists(query);
        }

        /** {@code a=1&b=2}, URL-encoded; empty when there are no parameters. */
        public String queryString() {
            return query.entrySet()
                .stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        }

        public SignedWebhook withBody(byte[] other) {
            return new SignedWebhook(headers, query, other);
        }

        public SignedWebhook withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            if (value == null) {
                copy.remove(name);
            }
            else {
                copy.put(name, value);
            }
            return new SignedWebhook(copy, query, body);
        }

        public SignedWebhook withQuery(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(query);
            if (value == null) {
                copy.remove(name);
            }
            else {
                copy.put(name, value);
            }
            return new SignedWebhook(headers, copy, body);
        }

        private static Map<String, List<String>> lists(Map<String, String> values) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            values.forEach((name, value) -> out.put(name, List.of(value)));
            return out;
        }
    }

    /**
     * plugNmeet's notifier (providers.md 7.1): an HS256 JWT keyed with the API secret, {@code iss} the API key,
     * {@code iat} and {@code nbf} now, {@code exp} five minutes on, {@code sha256} the padded standard Base64
     * SHA-256 of the body; sent bare in {@code Authorization} and again in {@code Hash-Token}, as
     * {@code application/json}.
     */
    public static SignedWebhook plugNmeet(String apiKey, String apiSecret, String bodyJson, Instant now) {
        byte[] body = bodyJson.getBytes(StandardCharsets.UTF_8);
        long seconds = now.getEpochSecond();
        String claims = "{\"iss\":\"" + apiKey + "\",\"exp\":" + (seconds + 300) + ",\"nbf\":" + seconds + ",\"iat\":"
                + seconds + ",\"sha256\":\"" + Base64.getEncoder().encodeToString(sha256(body)) + "\"}";
        return plugNmeetWithToken(hs256Jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, apiSecret), body);
    }

    /** A plugNmeet request carrying {@code token} as the notifier carries its own, for hand-made tokens. */
    public static SignedWebhook plugNmeetWithToken(String token, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", token);
        headers.put("Hash-Token", token);
        return new SignedWebhook(headers, Map.of(), body);
    }

    /** A compact JWT with the given header and claims, its MAC HMAC-SHA256 under {@code secret}. */
    public static String hs256Jwt(String headerJson, String claimsJson, String secret) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + url.encodeToString(Crypto.hmacSha256(secret,
                signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An RSA key pair like the one VideoSDK signs webhooks with. */
    public static KeyPair videoSdkKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The key as VideoSDK's {@code rsa-public-key} endpoint gives it: X.509 PEM, 64 characters a line. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * VideoSDK (providers.md 7.2): {@code videosdk-signature} is the Base64 RSA-SHA256 (PKCS#1 v1.5) signature of the
     * raw body bytes.
     */
    public static SignedWebhook videoSdk(PrivateKey key, String bodyJson) {
        byte[] body = bodyJson.getBytes(StandardCharsets.UTF_8);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(body);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("videosdk-signature", Base64.getEncoder().encodeToString(rsa.sign()));
            return new SignedWebhook(headers, Map.of(), body);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Tencent's live engine (providers.md 7.3): the command and app in the query, and, with a callback token set,
     * {@code RequestTime} (unix seconds) and {@code Sign} = lower-case hex SHA-256 of token + RequestTime. That
     * scheme is UNCONFIRMED in providers.md; this is the recalled one.
     */
    public static SignedWebhook tencent(long sdkAppId, String token, String command, String bodyJson, Instant now) {
        String requestTime = Long.toString(now.getEpochSecond());
        Map<String, String> query = new LinkedHashMap<>();
        query.put("SdkAppid", Long.toString(sdkAppId));
        query.put("CallbackCommand", command);
        query.put("contenttype", "json");
        query.put("ClientIP", "203.0.113.7");
        query.put("OptPlatform", "RESTAPI");
        query.put("RequestTime", requestTime);
        query.put("Sign", HexFormat.of().formatHex(sha256((token + requestTime).getBytes(StandardCharsets.UTF_8))));
        return new SignedWebhook(Map.of("Content-Type", "application/json"), query,
                bodyJson.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
