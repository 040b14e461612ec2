package dev.roomgate.provider.plugnmeet;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.FailureClass;

/**
 * What a plugNmeet refusal ({@code status:false} in an HTTP 200) means, as data (providers.md 8.2): one table for
 * the {@code status_code} enum, one for the messages of servers that send no code. plugNmeet has no rate limit
 * (providers.md 1.6), so no row throttles.
 */
final class PlugNmeetErrors {

    /** The {@code StatusCode} enum (plugnmeet_common_api.proto) by number, for servers that send enums as numbers. */
    private static final List<String> STATUS_CODES = List.of("UNKNOWN_STATUS", "SUCCESS", "PERMISSION_DENIED",
            "NOT_FOUND", "CONFLICT", "INVALID_TOKEN_OR_SIGNATURE", "INVALID_API_KEY", "INTERNAL_SERVER_ERROR",
            "INVALID_PARAMETERS", "MISSING_REQUIRED_PARAMETER", "ROOM_NOT_FOUND", "USER_NOT_FOUND", "USER_BLOCKED",
            "USER_NOT_ACTIVE", "ROOM_NOT_ACTIVE");

    // Every refusal code of the enum; SUCCESS is no refusal and UNKNOWN_STATUS defers to the message.
    private static final Map<String, FailureClass> BY_STATUS_CODE = Map.ofEntries(
            Map.entry("ROOM_NOT_FOUND", FailureClass.NOT_FOUND),
            Map.entry("ROOM_NOT_ACTIVE", FailureClass.NOT_FOUND),
            Map.entry("NOT_FOUND", FailureClass.NOT_FOUND),
            Map.entry("INVALID_TOKEN_OR_SIGNATURE", FailureClass.REFUSED),
            Map.entry("INVALID_API_KEY", FailureClass.REFUSED),
            Map.entry("PERMISSION_DENIED", FailureClass.REFUSED),
            Map.entry("INTERNAL_SERVER_ERROR", FailureClass.TRANSIENT),
            Map.entry("INVALID_PARAMETERS", FailureClass.PERMANENT),
            // With HTTP 401 this is the auth middleware's (a 401 is auth whatever the body); in a 200 it is our body.
            Map.entry("MISSING_REQUIRED_PARAMETER", FailureClass.PERMANENT),
            Map.entry("CONFLICT", FailureClass.PERMANENT),
            Map.entry("USER_NOT_FOUND", FailureClass.PERMANENT),
            Map.entry("USER_BLOCKED", FailureClass.PERMANENT),
            Map.entry("USER_NOT_ACTIVE", FailureClass.PERMANENT));

    // Servers before v2.1.7 send no status_code, only a message; these are the ones for a room that is not live, by
    // release (providers.md 8.2 and 9.4): "no room found" from v1.1.8 on, "room is not active" from v1.9.3,
    // "room not found in active state" from v2.2.0, "no active room found" from v2.1.7's listing. Any other
    // message (v1.1.8-v1.6.2 sent a Redis or LiveKit error's raw text) is a permanent refusal.
    private static final Map<String, FailureClass> BY_LEGACY_MESSAGE = Map.of(
            "no room found", FailureClass.NOT_FOUND,
            "room is not active", FailureClass.NOT_FOUND,
            "room not found in active state", FailureClass.NOT_FOUND,
            "no active room found", FailureClass.NOT_FOUND);

    private PlugNmeetErrors() {
    }

    /** The status code's name; null when absent, empty or UNKNOWN_STATUS, so the message decides instead. */
    static String statusCode(String sent) {
        String code = sent;
        if (code != null && !code.isEmpty() && code.length() <= 3 && code.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(code);
            code = number < STATUS_CODES.size() ? STATUS_CODES.get(number) : code;
        }
        return code == null || code.isEmpty() || "UNKNOWN_STATUS".equals(code) ? null : code;
    }

    /**
     * The verdict of a refusal: its code's row; an unknown code is permanent (kept in {@code upstreamCode}); without
     * a code, the legacy message's row.
     */
    static FailureClass verdictOf(String statusCode, String message) {
        if (statusCode != null) {
            return BY_STATUS_CODE.getOrDefault(statusCode, FailureClass.PERMANENT);
        }
        String msg = message == null ? "" : message.strip().toLowerCase(Locale.ROOT);
        return BY_LEGACY_MESSAGE.getOrDefault(msg, FailureClass.PERMANENT);
    }

    /** The failure a refusal of any verdict but {@link FailureClass#NOT_FOUND} is. */
    static ProviderException failure(FailureClass verdict, String statusCode) {
        if (verdict == FailureClass.NOT_FOUND) {
            throw new IllegalArgumentException("not found is an answer, not a failure");
        }
        String message = verdict == FailureClass.REFUSED ? "plugNmeet rejected our credentials"
                : "plugNmeet refused the request";
        return ProviderException.of(verdict.status(), verdict.code(), message)
            .answered(200, statusCode)
            .retryable(verdict.retryable())
            .build();
    }
}
