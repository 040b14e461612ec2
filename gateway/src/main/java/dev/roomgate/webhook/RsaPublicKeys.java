package dev.roomgate.webhook;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RSA public key from its PEM text, with the JDK alone: X.509 {@code PUBLIC KEY} or PKCS#1
 * {@code RSA PUBLIC KEY}.
 */
final class RsaPublicKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (RSA )?PUBLIC KEY-----(.*?)-----END (RSA )?PUBLIC KEY-----", Pattern.DOTALL);

    /** The DER of AlgorithmIdentifier {rsaEncryption, NULL}: what turns a PKCS#1 key into an X.509 one. */
    private static final byte[] RSA_ALGORITHM = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

    private RsaPublicKeys() {
    }

    /**
     * @param pem the PEM text; an environment variable may carry its line breaks as {@code \n}
     * @throws IllegalArgumentException when it holds no RSA public key (the message quotes nothing of it)
     */
    static RSAPublicKey parse(String pem) {
        Matcher matcher = PEM.matcher(pem.replace("\\n", "\n"));
        if (!matcher.find()) {
            throw new IllegalArgumentException("is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(2).strip());
            byte[] spki = matcher.group(1) == null ? der : spki(der);
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
            if (key instanceof RSAPublicKey rsa) {
                return rsa;
            }
        }
        catch (IllegalArgumentException | GeneralSecurityException ex) {
            // reported below, without the text
        }
        throw new IllegalArgumentException("is not a valid PEM RSA public key");
    }

    /** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING (0 unused bits, the PKCS#1 key) }. */
    private static byte[] spki(byte[] pkcs1) {
        byte[] bitString = concat(new byte[] { 0x03 }, length(pkcs1.length + 1), new byte[] { 0x00 }, pkcs1);
        byte[] body = concat(RSA_ALGORITHM, bitString);
        return concat(new byte[] { 0x30 }, length(body.length), body);
    }

    /** A DER length: short form below 128, else 0x80 + the count of big-endian bytes that follow. */
    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] { (byte) length };
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
