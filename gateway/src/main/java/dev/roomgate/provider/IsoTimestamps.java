package dev.roomgate.provider;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * ISO-8601 timestamps with an offset, as VideoSDK sends them ({@code 2024-05-01T10:15:30.123Z}, or with
 * {@code +05:30}), read without {@code java.time}'s formatter: {@code OffsetDateTime.parse} built a field map per
 * call and was a tenth of what an uncached answer allocated (one call per participant's session log). Only the
 * exact shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} with values in range is read here; anything else goes
 * to {@code OffsetDateTime.parse}, so what is accepted and what it means is exactly the formatter's.
 */
final class IsoTimestamps {

    private IsoTimestamps() {
    }

    static Instant parse(String text) {
        Instant fast = fast(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** Null when the text is not of the one shape read here (the formatter then decides). */
    private static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        }
        catch (DateTimeException noSuchDate) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (at < n && s.charAt(at) == '.') {
            int start = ++at;
            while (at < n && at - start < 10 && isDigit(s.charAt(at))) {
                nanos = nanos * 10 + (s.charAt(at++) - '0');
            }
            int count = at - start;
            if (count < 1 || count > 9) {
                return null;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        Integer offsetSeconds = offset(s, at);
        if (offsetSeconds == null) {
            return null;
        }
        long epochSecond = epochDay * 86_400L + hour * 3_600L + minute * 60L + second
                - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** {@code Z} or {@code ±HH:MM} ending the text; null for anything else. */
    private static Integer offset(String s, int at) {
        int n = s.length();
        if (at == n - 1 && s.charAt(at) == 'Z') {
            return 0;
        }
        if (at != n - 6 || s.charAt(at + 3) != ':' || s.charAt(at) != '+' && s.charAt(at) != '-') {
            return null;
        }
        int hours = digits(s, at + 1, 2);
        int minutes = digits(s, at + 4, 2);
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59 || hours == 18 && minutes > 0) {
            return null;
        }
        int seconds = hours * 3_600 + minutes * 60;
        return s.charAt(at) == '-' ? -seconds : seconds;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
