package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.util.UriUtils;

import dev.roomgate.provider.ProviderClients;
import dev.roomgate.support.StubClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Room-id validation as properties over generated input, not examples. */
class RoomIdPropertyTests {

    private final RoomRequestParser parser = new RoomRequestParser(new ProviderClients(List.of(StubClients.neverCalled("p1"))));

    private String parse(String rawSegment) {
        return parser.parse(rawSegment, new LinkedMultiValueMap<>(), List.of()).query().roomId();
    }

    /** Anything at all, percent-encoded the way a client would put it in a path. */
    @Property(tries = 3000)
    void acceptsExactlyTheIdsThePatternAllows(@ForAll String anything) {
        String raw = UriUtils.encodePathSegment(anything, StandardCharsets.UTF_8);
        if (RoomRequestParser.ROOM_ID.matcher(anything).matches()) {
            assertThat(parse(raw)).isEqualTo(anything);
        }
        else {
            assertThatThrownBy(() -> parse(raw)).isInstanceOf(RejectedRequest.class);
        }
    }

    @Provide
    Arbitrary<String> validIds() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars('.', '_', ':', '@', '-').ofMaxLength(127);
        return first.flatMap(f -> rest.map(r -> f + r));
    }

    /** Whatever is accepted is safe to put unchanged into a URL path, a query value and a JSON string. */
    @Property(tries = 2000)
    void acceptedIdsNeedNoEscapingAnywhere(@ForAll("validIds") String id) {
        assertThat(parse(id)).isEqualTo(id);
        assertThat(UriUtils.encodePathSegment(id, StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(id).doesNotContain("\"", "\\", "/", "?", "#", "&", "%", " ");
    }

    /** Decoding happens exactly once: an encoded form of a valid id is accepted, a doubly encoded one is not. */
    @Property(tries = 1000)
    void decodesExactlyOnce(@ForAll("validIds") String id) {
        String once = id.replace("@", "%40").replace(":", "%3A");
        assertThat(parse(once)).isEqualTo(id);
        if (!once.equals(id)) {
            assertThatThrownBy(() -> parse(once.replace("%", "%25"))).isInstanceOf(RejectedRequest.class);
        }
    }
}
