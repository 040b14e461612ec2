package dev.roomgate.aggregate;

import java.time.Duration;
import java.util.List;

import dev.roomgate.schema.RoomDocument;

/**
 * The document, and how fresh it is as a whole: what the {@code Cache-Control} and {@code Age} headers say.
 *
 * @param freshFor how much longer the whole answer may be reused: as long as its least fresh part
 * @param age the age of its oldest part
 */
public record RoomAnswer(RoomDocument document, Duration freshFor, Duration age) {

    static RoomAnswer of(RoomDocument document, List<RoomAggregator.Part> parts) {
        Duration freshFor = parts.stream()
            .map(part -> part.answer().freshFor())
            .min(Duration::compareTo)
            .orElse(Duration.ZERO);
        Duration age = parts.stream()
            .map(part -> part.answer().age())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
        return new RoomAnswer(document, freshFor, age);
    }

    /**
     * {@code max-age} counts from when the answer was fetched, and a client subtracts {@code Age} from it (RFC 9111
     * 4.2.3), so it is the age plus what freshness is left; zero when nothing is left.
     */
    public Duration maxAge() {
        return freshFor.isZero() ? Duration.ZERO : age.plus(freshFor);
    }
}
