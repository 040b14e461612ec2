package dev.roomgate.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import tools.jackson.databind.JsonNode;

/**
 * Verifies a TLSSigAPIv2 UserSig in the order of the official Go library's VerifyUserSig, answering with the REST
 * error code a Tencent server would use (providers.md 2.2).
 */
final class UserSigVerifier {

    /** A real UserSig inflates to about 200 bytes; anything far larger is not one. */
    private static final int MAX_INFLATED = 16 * 1024;

    private final String secretKey;

    UserSigVerifier(String secretKey) {
        this.secretKey = secretKey;
    }

    /** Null when the UserSig is valid for this app and identifier at {@code nowSeconds}, else the error. */
    TencentError verify(String userSig, long sdkAppId, String identifier, long nowSeconds) {
        if (userSig == null || userSig.isEmpty()) {
            return TencentError.of(70002);
        }
        JsonNode doc = Json.parseOrNull(inflate(userSig));
        if (doc == null || !doc.isObject() || !isLong(doc, "TLS.sdkappid") || !isLong(doc, "TLS.time")
                || !isLong(doc, "TLS.expire") || !doc.path("TLS.identifier").isString()
                || !doc.path("TLS.sig").isString()) {
            return TencentError.of(70003);
        }
        long sigAppId = doc.get("TLS.sdkappid").longValue();
        String sigIdentifier = doc.get("TLS.identifier").stringValue();
        long time = doc.get("TLS.time").longValue();
        long expire = doc.get("TLS.expire").longValue();
        if (sigAppId != sdkAppId) {
            return TencentError.of(70014);
        }
        if (!sigIdentifier.equals(identifier)) {
            return TencentError.of(70013);
        }
        if (nowSeconds > time + expire) {
            return TencentError.of(70001);
        }
        String expected = signature(secretKey, sigIdentifier, sigAppId, time, expire);
        if (!Crypto.constantTimeEquals(expected, doc.get("TLS.sig").stringValue())) {
            return TencentError.of(70009);
        }
        return null;
    }

    /** {@code TLS.sig}: standard Base64 of HMAC-SHA256 over the four newline-terminated fields. */
    static String signature(String secretKey, String identifier, long sdkAppId, long time, long expire) {
        String content = "TLS.identifier:" + identifier + "\n" + "TLS.sdkappid:" + sdkAppId + "\n" + "TLS.time:" + time
                + "\n" + "TLS.expire:" + expire + "\n";
        byte[] mac = Crypto.hmacSha256(secretKey, content.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }

    /** Undoes the URL-safe substitutions and zlib; null when the text is not such a document. */
    private static String inflate(String userSig) {
        String base64 = userSig.replace('*', '+').replace('-', '/').replace('_', '=');
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(Base64.getDecoder().decode(base64));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[512];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED) {
                    return null;
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException | DataFormatException ex) {
            return null;
        }
        finally {
            inflater.end();
        }
    }

    private static boolean isLong(JsonNode doc, String field) {
        JsonNode node = doc.path(field);
        return node.isIntegralNumber() && node.canConvertToLong();
    }
}
