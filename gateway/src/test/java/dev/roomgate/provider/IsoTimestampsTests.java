package dev.roomgate.provider;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoTimestampsTests {

    @Test
    void readsWhatTheFormatterReadsForAnyInstantOffsetAndPrecision() {
        SplittableRandom random = new SplittableRandom(20261207);
        List<String> offsets = List.of("Z", "+00:00", "+05:30", "-08:00", "+14:00", "-18:00", "+18:00", "-00:45");
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    random.nextInt(1_000_000_000));
            String offset = offsets.get(random.nextInt(offsets.size()));
            String text = OffsetDateTime.ofInstant(instant, offset.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(offset))
                .toString();
            if (!text.endsWith(offset) || OffsetDateTime.parse(text).getYear() > 9999) {
                continue;
            }
            assertThat(IsoTimestamps.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "2024-05-01T10:15:30Z", "2024-05-01T10:15:30.1Z", "2024-05-01T10:15:30.123456789+05:30",
        "2024-02-29T23:59:59-00:01", "2000-02-29T00:00:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
        "2024-05-01t10:15:30z", "2024-05-01T10:15Z", "2024-05-01T10:15:30+05:30:15", "2024-05-01T10:15:30.Z" })
    void agreesWithTheFormatterOnEdgesAndOtherShapes(String text) {
        assertThat(IsoTimestamps.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = { "2023-02-29T10:15:30Z", "2024-13-01T10:15:30Z", "2024-04-31T10:15:30Z",
        "2024-05-01T24:00:00Z", "2024-05-01T10:60:30Z", "2024-05-01T10:15:60Z", "2024-05-01T10:15:30+0530",
        "2024-05-01T10:15:30.1234567890Z", "2024-05-01T10:15:30+19:00", "2024-05-01T10:15:30", "2024-05-01 10:15:30Z",
        " 2024-05-01T10:15:30Z", "2024-05-01T10:15:30Zx", "２０２４-05-01T10:15:30Z" })
    void refusesWhatTheFormatterRefuses(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoTimestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
