package dev.roomgate.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetCursorTests {

    private static final byte[] KEY = "a key of at least thirty-two bytes!".getBytes(StandardCharsets.UTF_8);

    private final FleetCursor cursors = new FleetCursor(KEY);

    @Test
    void readsBackWhatItWroteOnAnyReplicaWithTheSameKey() {
        FleetCursor.Position position = new FleetCursor.Position("tencent-sg", "room:42@x");
        String cursor = cursors.write(position);
        assertThat(new FleetCursor(KEY.clone()).read(cursor)).isEqualTo(position);
        assertThat(cursor).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void anotherKeysCursorIsRefused() {
        byte[] other = Arrays.copyOf(KEY, KEY.length);
        other[0] ^= 1;
        String cursor = new FleetCursor(other).write(new FleetCursor.Position("p", "r"));
        assertThatThrownBy(() -> cursors.read(cursor)).isInstanceOf(FleetCursor.Invalid.class);
    }

    @Test
    void everyChangedCharacterIsRefused() {
        String cursor = cursors.write(new FleetCursor.Position("plugnmeet-eu", "standup"));
        for (int i = 0; i < cursor.length(); i++) {
            char c = cursor.charAt(i);
            if (c == '.') {
                continue;
            }
            String changed = cursor.substring(0, i) + (c == 'A' ? 'B' : 'A') + cursor.substring(i + 1);
            assertThatThrownBy(() -> cursors.read(changed)).as("changed at %d", i)
                .isInstanceOf(FleetCursor.Invalid.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ".", "abc", "a.b.c", "!!.!!", "Zm9v.YmFy" })
    void anythingElseIsRefused(String cursor) {
        assertThatThrownBy(() -> cursors.read(cursor)).isInstanceOf(FleetCursor.Invalid.class);
    }

    @Test
    void aSignedPayloadWithoutBothPartsIsRefused() {
        String forged = cursors.write(new FleetCursor.Position("x", "y"));
        String payloadOnly = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("x".getBytes(StandardCharsets.UTF_8)) + forged.substring(forged.indexOf('.'));
        assertThatThrownBy(() -> cursors.read(payloadOnly)).isInstanceOf(FleetCursor.Invalid.class);
        assertThatThrownBy(() -> cursors.read("a".repeat(600))).isInstanceOf(FleetCursor.Invalid.class);
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FleetCursor(new byte[16]));
    }
}
