package dev.roomgate.provider;

import java.time.Instant;
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
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
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
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second
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

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (years 0-9999 here). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
