package dev.roomgate.observability;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one choke point that removes credentials from text bound for a log. It knows the shapes of every credential
 * Roomgate sends (UserSig query parameter, JWTs, HMAC signatures, Authorization values) and, as a second net, the
 * exact values of the configured secrets.
 */
public final class CredentialRedactor {

    public static final String MASK = "[REDACTED]";

    // Shorter values are too likely to occur in ordinary text; every real secret is far longer.
    private static final int MIN_REGISTERED_LENGTH = 8;

    // After a header's or key's name: not a value that is already the mask, so that redacting twice changes nothing.
    private static final String NOT_MASKED = "(?![\\[\"']*REDACTED\\])";

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("(?i)(usersig=)[^&\\s\"'<>]+"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)(authorization[\"']?\\s*[:=]\\s*\\[?[\"']?)" + NOT_MASKED
                    + "(bearer\\s+|basic\\s+)?[^\\s\"',\\]}]+"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)(hash-signature[\"']?\\s*[:=]\\s*\\[?[\"']?)" + NOT_MASKED
                    + "[^\\s\"',\\]}]+"), "$1" + MASK),
            // Clients' X-API-Key header, in any case (HTTP logs print header names as they were sent).
            new Rule(Pattern.compile("(?i)(x-api-key[\"']?\\s*[:=]\\s*\\[?[\"']?)" + NOT_MASKED
                    + "[^\\s\"',\\]}]+"), "$1" + MASK),
            // Upper case: plugNmeet's header as HTTP logs print it, not the lower-case configuration key.
            new Rule(Pattern.compile("(API-KEY[\"']?\\s*[:=]\\s*\\[?[\"']?)" + NOT_MASKED + "[^\\s\"',\\]}]+"),
                    "$1" + MASK),
            // A password by name (spring.data.redis.password=..., SPRING_DATA_REDIS_PASSWORD: ..., "password":"...")
            // and in a URL's user info (redis://user:password@host, rediss://:password@host).
            new Rule(Pattern.compile("(?i)(password[\"']?\\s*[:=]\\s*[\"']?)" + NOT_MASKED + "[^\\s\"',\\]}]+"),
                    "$1" + MASK),
            new Rule(Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^:/@\\s]*:)" + NOT_MASKED + "[^@/\\s]+@"),
                    "$1" + MASK + "@"),
            // JWTs (VideoSDK tokens) and zlib+Base64 UserSigs wherever they appear.
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}"), MASK),
            new Rule(Pattern.compile("\\beJ[A-Za-z0-9*_-]{40,}"), MASK));

    /**
     * The literals at least one rule needs: text with none of them matches no rule, and is left after one scan
     * instead of nine (this runs for every log line, the access line of every request among them).
     */
    private static final Pattern ANY_RULE_MAY_MATCH = Pattern.compile(
            "(?i:usersig=|authorization|hash-signature|api-key|password|://)|eyJ|eJ");

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private CredentialRedactor() {
    }

    /** Makes an exact credential value unprintable from now on. */
    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_REGISTERED_LENGTH) {
            SECRETS.add(secret);
        }
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : SECRETS) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        if (!ANY_RULE_MAY_MATCH.matcher(result).find()) {
            return result;
        }
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(result);
            if (matcher.find()) {
                result = matcher.replaceAll(rule.replacement());
            }
        }
        return result;
    }

    private record Rule(Pattern pattern, String replacement) {
    }
}
