package dev.roomgate.api;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** If-None-Match by RFC 9110's weak comparison. */
class EntityTagsTests {

    private static final String TAG = EntityTags.of(new byte[] { 1, 2, 3 });

    @Test
    void tagsAreWeakAndDependOnlyOnTheBytes() {
        assertThat(TAG).startsWith("W/\"").endsWith("\"");
        assertThat(EntityTags.of(new byte[] { 1, 2, 3 })).isEqualTo(TAG);
        assertThat(EntityTags.of(new byte[] { 1, 2, 4 })).isNotEqualTo(TAG);
    }

    @Test
    void matchesTheTagWeakOrStrongInAnyListAndTheWildcard() {
        String opaque = TAG.substring(2);
        assertThat(EntityTags.matches(List.of(TAG), TAG)).isTrue();
        assertThat(EntityTags.matches(List.of(opaque), TAG)).isTrue();
        assertThat(EntityTags.matches(List.of("\"other\", " + TAG), TAG)).isTrue();
        assertThat(EntityTags.matches(List.of("\"other\"", opaque), TAG)).isTrue();
        assertThat(EntityTags.matches(List.of("*"), TAG)).isTrue();
        assertThat(EntityTags.matches(List.of("\"other\""), TAG)).isFalse();
        assertThat(EntityTags.matches(List.of(), TAG)).isFalse();
        assertThat(EntityTags.matches(List.of(""), TAG)).isFalse();
    }
}
