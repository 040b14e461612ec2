package dev.roomgate.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.Room;

/**
 * {@code ETag}s from what an answer says (contract 2.5): its rooms and each provider's status and error, not when
 * or how fast it was built, so that polling an unchanged room or fleet answers 304. They are weak tags: two
 * answers with one tag say the same, but their bytes differ ({@code fetchedAt}, latencies).
 */
final class EntityTags {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final JsonMapper json;

    EntityTags(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param rooms the rooms as the caller is shown them (without what it may not see)
     * @param extra anything else the answer says, e.g. the next page's cursor; null for nothing
     */
    String of(List<Room> rooms, List<ProviderResult> providers, String extra) {
        List<Object> statuses = new ArrayList<>(providers.size());
        for (ProviderResult result : providers) {
            statuses.add(Arrays.asList(result.provider(), result.status().wireName(),
                    result.error() == null ? null : result.error().code()));
        }
        Map<String, Object> says = new LinkedHashMap<>();
        says.put("rooms", rooms);
        says.put("providers", statuses);
        says.put("extra", extra);
        return of(json.writeValueAsBytes(says));
    }

    /** The tag of bytes that are all the answer says. */
    static String of(byte[] says) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(says);
            return "W/\"" + ENCODER.encodeToString(Arrays.copyOf(digest, 18)) + "\"";
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
