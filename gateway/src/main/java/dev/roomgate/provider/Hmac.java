package dev.roomgate.provider;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, the primitive all three providers' signatures are built on. */
public final class Hmac {

    private Hmac() {
    }

    public static byte[] sha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }
        catch (GeneralSecurityException ex) {
            // Every Java runtime must provide HmacSHA256; reaching this means a broken JVM.
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }
}
