package dev.roomgate.provider.tencent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.config.Secret;
import dev.roomgate.provider.Hmac;

/** Tencent's TLSSigAPIv2 UserSig: an HMAC-signed JSON document, zlib-compressed, in Tencent's URL-safe Base64. */
public record UserSigGenerator(JsonMapper mapper, long sdkAppId, String identifier, Secret secretKey) {

    /** The {@code TLS.sig} field: Base64 of HMAC-SHA256 over the newline-terminated content lines. */
    public String signature(long issuedAtSeconds, long expireSeconds) {
        String content = "TLS.identifier:" + identifier + "\n" + "TLS.sdkappid:" + sdkAppId + "\n" + "TLS.time:"
                + issuedAtSeconds + "\n" + "TLS.expire:" + expireSeconds + "\n";
        byte[] mac = Hmac.sha256(secretKey.utf8(), content.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }

    public String generate(Instant issuedAt, Duration validity) {
        long time = issuedAt.getEpochSecond();
        long expire = validity.toSeconds();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("TLS.ver", "2.0");
        document.put("TLS.identifier", identifier);
        document.put("TLS.sdkappid", sdkAppId);
        document.put("TLS.expire", expire);
        document.put("TLS.time", time);
        document.put("TLS.sig", signature(time, expire));
        byte[] compressed = deflate(mapper.writeValueAsBytes(document));
        return toTencentBase64(Base64.getEncoder().encodeToString(compressed));
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length);
            byte[] chunk = new byte[512];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        }
        finally {
            deflater.end();
        }
    }

    private static String toTencentBase64(String standard) {
        return standard.replace('+', '*').replace('/', '-').replace('=', '_');
    }
}
