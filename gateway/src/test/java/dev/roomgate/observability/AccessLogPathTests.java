package dev.roomgate.observability;

import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's path cleaning, without a regex per request, still replaces exactly what \p{Cntrl} matches. */
class AccessLogPathTests {

    private static final Pattern CNTRL = Pattern.compile("[\\p{Cntrl}]");

    @ParameterizedTest
    @ValueSource(strings = { "/v1/rooms/demo-standup", "/v1/rooms/a\nb", "/v1/rooms/\r\n\tforged 200 1ms",
            "\u0000\u001f\u007f\u0080\u00a0caf\u00e9", "", "/\u001b[31mred", "/v1/rooms/%0Aencoded" })
    void replacesControlCharactersExactlyAsTheRegexDid(String path) {
        String cleaned = AccessLog.withoutControlCharacters(path);
        assertThat(cleaned).isEqualTo(CNTRL.matcher(path).replaceAll("?"));
        assertThat(cleaned.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/rooms/demo-standup", "/v1/providers" })
    void aCleanPathIsReturnedAsItIs(String path) {
        assertThat(AccessLog.withoutControlCharacters(path)).isSameAs(path);
    }
}
