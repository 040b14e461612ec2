package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import dev.roomgate.schema.ProviderResult;

/**
 * {@code ETag}s from what an answer says (contract 2.5): its rooms and each provider's status and error, not when
 * or how fast it was built, so that polling an unchanged room or fleet answers 304. They are weak tags: two
 * answers with one tag say the same, but their bytes differ ({@code fetchedAt}, latencies). The rooms come as the
 * digests of the JSON the answer writes for them, so a room whose bytes are kept (a cache hit) is neither
 * serialized nor hashed again for its tag.
 */
final class EntityTags {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private EntityTags() {
    }

    /**
     * @param roomDigests {@link #digest} of each room's JSON as the caller is shown it (without what it may not see)
     * @param extra anything else the answer says, e.g. the next page's cursor; null for nothing
     */
    static String of(List<byte[]> roomDigests, List<ProviderResult> providers, String extra) {
        MessageDigest digest = sha256();
        // Digests all have one length, so no two lists of rooms run together into one input.
        for (byte[] room : roomDigests) {
            digest.update(room);
        }
        StringBuilder says = new StringBuilder(64);
        for (ProviderResult result : providers) {
            says.append(result.provider()).append('\0').append(result.status().wireName()).append('\0')
                .append(result.error() == null ? "" : result.error().code()).append('\n');
        }
        says.append('\0').append(extra == null ? "" : extra);
        digest.update(says.toString().getBytes(StandardCharsets.UTF_8));
        return tag(digest.digest());
    }

    /** A room's part of a tag: the SHA-256 of its JSON, kept with that JSON so a cache hit does not hash it again. */
    static byte[] digest(byte[] roomJson) {
        return sha256().digest(roomJson);
    }

    /** The tag of bytes that are all the answer says. */
    static String of(byte[] says) {
        return tag(sha256().digest(says));
    }

    private static String tag(byte[] digest) {
        return "W/\"" + ENCODER.encodeToString(Arrays.copyOf(digest, 18)) + "\"";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("SHA-256 is part of every JDK", unavailable);
        }
    }
    /**
     * {@code If-None-Match} against the current tag, by the weak comparison RFC 9110 13.1.2 prescribes for it:
     * {@code *}, or any listed tag whose opaque part is the current one's, weak or not.
     */
    static boolean matches(List<String> ifNoneMatch, String current) {
        String opaque = opaque(current);
        for (String header : ifNoneMatch) {
            for (String candidate : header.split(",")) {
                String tag = candidate.strip();
                if (tag.equals("*") || !tag.isEmpty() && opaque.equals(opaque(tag))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
