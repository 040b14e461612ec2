package dev.roomgate.aggregate;

import org.junit.jupiter.api.Test;

import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.UpstreamText;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamTextTests {

    @Test
    void boundsLongTextTo200CharactersEllipsisIncluded() {
        String bounded = UpstreamText.bound("x".repeat(10_000));
        assertThat(bounded).hasSize(UpstreamText.MAX_CHARS).endsWith("…").startsWith("xxxx");
        String exact = "y".repeat(UpstreamText.MAX_CHARS);
        assertThat(UpstreamText.bound(exact)).isEqualTo(exact);
    }

    @Test
    void countsCodePointsAndNeverSplitsASurrogatePair() {
        String bounded = UpstreamText.bound("😀".repeat(300));
        assertThat(bounded.codePointCount(0, bounded.length())).isEqualTo(UpstreamText.MAX_CHARS);
        assertThat(bounded.substring(0, bounded.length() - 1).codePoints()).allMatch(c -> c == 0x1F600);
    }

    @Test
    void stripsControlCharactersThatWouldForgeLinesOrRewriteATerminal() {
        String forged = "room gone\r\n2026-12-04 INFO provider=ok status=ok\u001b[2J\u0000\u202etxt.exe\u2028end";
        String bounded = UpstreamText.bound(forged);
        assertThat(bounded).doesNotContain("\r", "\n", "\u001b", "\u0000", "\u202e", "\u2028");
        assertThat(bounded).startsWith("room gone 2026-12-04 INFO").endsWith("end");
        assertThat(bounded.chars()).noneMatch(Character::isISOControl);
    }

    @Test
    void redactsCredentialsAndLeavesOrdinaryTextAlone() {
        assertThat(UpstreamText.bound("bad header Authorization: Bearer abc.def")).doesNotContain("abc.def");
        assertThat(UpstreamText.bound("ROOM_NOT_FOUND")).isEqualTo("ROOM_NOT_FOUND");
        assertThat(UpstreamText.bound(null)).isNull();
        assertThat(UpstreamText.bound("")).isEmpty();
    }

    @Test
    void isAppliedWhereverProviderTextBecomesAMessage() {
        String flood = "\n" + "A".repeat(5_000);
        ProviderException error = ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_REJECTED", flood)
            .answered(null, flood)
            .build();
        assertThat(error.getMessage()).hasSize(UpstreamText.MAX_CHARS).doesNotContain("\n");
        ProviderError wire = error.toError();
        assertThat(wire.message()).isEqualTo(error.getMessage());
        assertThat(wire.upstreamCode()).hasSize(UpstreamText.MAX_CHARS);
        assertThat(new ProviderError("X", flood, 502, null).message()).hasSize(UpstreamText.MAX_CHARS);
        assertThat(new Outcome.NotFound(flood).reason()).hasSize(UpstreamText.MAX_CHARS).doesNotContain("\n");
        // Bounding twice (a ProviderException's message becomes a ProviderError's) changes nothing.
        String once = UpstreamText.bound("x-api-key: k1 authorization=[\"Bearer t\"] " + flood);
        assertThat(UpstreamText.bound(once)).isEqualTo(once);
    }
}
