package dev.roomgate.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fleet view's keyset cursor: "after this (instance, roomId)", opaque and tamper-evident. It is an HMAC-signed
 * pair rather than an offset, so rooms starting or ending between two pages never shift another room across the
 * page boundary; it is signed so that a client cannot make one up, and a changed one is refused, not guessed at.
 * Written here because no Spring library signs a small token without a whole JWT stack and its key management.
 */
public final class FleetCursor {

    /** Where a page starts: after this room of this instance. */
    public record Position(String instance, String roomId) {
    }

    /** The cursor is not one this deployment wrote, or was changed. */
    public static final class Invalid extends RuntimeException {

        Invalid() {
            super("cursor is not one this gateway issued", null, false, false);
        }
    }

    private static final String ALGORITHM = "HmacSHA256";

    private static final int TAG_BYTES = 16;

    private static final int MAX_LENGTH = 512;

    private static final char SEPARATOR = '\n';

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** @param key at least 32 bytes, the same on every replica so that any replica reads another's cursors */
    public FleetCursor(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a cursor key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    public String write(Position position) {
        byte[] payload = (position.instance() + SEPARATOR + position.roomId()).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(tag(payload));
    }

    /** @throws Invalid for anything this gateway did not write, unchanged */
    public Position read(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw new Invalid();
        }
        int dot = cursor.indexOf('.');
        if (dot <= 0 || dot != cursor.lastIndexOf('.')) {
            throw new Invalid();
        }
        byte[] payload;
        byte[] sent;
        try {
            payload = DECODER.decode(cursor.substring(0, dot));
            sent = DECODER.decode(cursor.substring(dot + 1));
        }
        catch (IllegalArgumentException notBase64) {
            throw new Invalid();
        }
        // Base64 leaves spare bits in a last character; a cursor is only the one spelling this gateway wrote.
        boolean canonical = ENCODER.encodeToString(payload).equals(cursor.substring(0, dot))
                && ENCODER.encodeToString(sent).equals(cursor.substring(dot + 1));
        if (!canonical || !MessageDigest.isEqual(tag(payload), sent)) {
            throw new Invalid();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int separator = text.indexOf(SEPARATOR);
        if (separator <= 0 || separator == text.length() - 1) {
            throw new Invalid();
        }
        return new Position(text.substring(0, separator), text.substring(separator + 1));
    }

    private byte[] tag(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(payload), TAG_BYTES);
        }
        catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", unavailable);
        }
    }
}
