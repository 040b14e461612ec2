package dev.roomgate.schema;

import java.util.regex.Pattern;

import dev.roomgate.observability.CredentialRedactor;

/**
 * The one helper through which a provider's own words (its error codes, "not found" reasons, anything read from
 * an answer) enter a message of ours: an answer's {@code error.message}, a log line. A provider controls that
 * text, so it is redacted, stripped of control characters (a CR/LF would forge log lines, ANSI escapes rewrite a
 * terminal, bidi overrides hide text) and bounded, so that one provider cannot flood logs or answers.
 */
public final class UpstreamText {

    /** The most characters of upstream text kept, the ellipsis included. */
    public static final int MAX_CHARS = 200;

    private static final String ELLIPSIS = "…";

    // C0 and C1 controls, DEL, Unicode format characters (bidi overrides, zero-width), line/paragraph separators.
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\u2028\\u2029]+");

    private UpstreamText() {
    }

    /** @return the text fit for a message, or null for null */
    public static String bound(String text) {
        if (text == null) {
            return null;
        }
        String clean = CredentialRedactor.redact(CONTROL.matcher(text).replaceAll(" ")).strip();
        if (clean.codePointCount(0, clean.length()) <= MAX_CHARS) {
            return clean;
        }
        int end = clean.offsetByCodePoints(0, MAX_CHARS - ELLIPSIS.length());
        return clean.substring(0, end) + ELLIPSIS;
    }
}
