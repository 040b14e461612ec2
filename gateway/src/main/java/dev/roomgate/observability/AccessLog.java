package dev.roomgate.observability;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per request, on logger {@code roomgate.access}: method, path, status, duration and, for room answers,
 * completeness and every provider's status. In JSON logs each is also a field of its own.
 */
public final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("roomgate.access");

    private AccessLog() {
    }

    /**
     * @param path the raw request path; control characters are replaced so that a crafted path cannot forge a line
     * @param answer the providers' statuses as {@code name:status,...} and completeness, or null for other requests
     */
    public static void request(String requestId, String method, String path, int status, Duration took,
            Boolean complete, String answer) {
        String safePath = withoutControlCharacters(path);
        try (MDC.MDCCloseable id = MDC.putCloseable(RequestIdLogging.KEY, requestId)) {
            var line = log.atInfo()
                .addKeyValue("http.method", method)
                .addKeyValue("url.path", safePath)
                .addKeyValue("http.status", status)
                .addKeyValue("duration.ms", took.toMillis());
            if (complete != null) {
                line = line.addKeyValue("complete", complete).addKeyValue("providers", answer);
                line.log("{} {} {} {}ms complete={} providers={}", method, safePath, status, took.toMillis(), complete,
                        answer);
            }
            else {
                line.log("{} {} {} {}ms", method, safePath, status, took.toMillis());
            }
        }
    }

    /**
     * The path with every control character (U+0000 to U+001F and U+007F, what {@code \p{Cntrl}} matches) replaced
     * by {@code ?}; the same string, not a copy, when there is none (nearly always). No regex: this runs per request.
     */
    static String withoutControlCharacters(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (isControl(path.charAt(i))) {
                char[] chars = path.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (isControl(chars[j])) {
                        chars[j] = '?';
                    }
                }
                return new String(chars);
            }
        }
        return path;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }
}
