package dev.roomgate.api;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import dev.roomgate.provider.ProviderClients;
import dev.roomgate.support.StubClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomRequestParserTests {

    private final RoomRequestParser parser = new RoomRequestParser(
            new ProviderClients(List.of(StubClients.neverCalled("plugnmeet-eu"), StubClients.neverCalled("tencent-sg"),
                    StubClients.neverCalled("videosdk-1"))));

    private static MultiValueMap<String, String> query(String... pairs) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.add(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    private void assertRejected(String raw, MultiValueMap<String, String> query, HttpStatus status, String slug) {
        assertThatThrownBy(() -> parser.parse(raw, query, List.of())).isInstanceOfSatisfying(RejectedRequest.class,
                rejected -> {
                    assertThat(rejected.status()).isEqualTo(status);
                    assertThat(rejected.slug()).isEqualTo(slug);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = { "room01", "a", "Room.With:All@Allowed_chars-1", "demo%40host" })
    void acceptsValidRoomIds(String raw) {
        assertThat(parser.parse(raw, query(), List.of()).query().roomId()).matches(RoomRequestParser.ROOM_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = { "..%2F..%2Factuator%2Fenv", "%252e%252e%252f", "..", "-leading-dash", "a%00b",
            "abc%0d%0aSet-Cookie:%20x=1", "%EF%BD%92oom", "room%E2%80%8B1", "abc;jsessionid=1", "abc%2", "a%20b",
            "1'%20OR%20'1'='1", "%7B%22$ne%22:null%7D", "abc&status=ended", "http:%2F%2F169.254.169.254%2F" })
    void refusesInvalidRoomIds(String raw) {
        assertRejected(raw, query(), HttpStatus.BAD_REQUEST, "invalid-room-id");
    }

    @Test
    void refusesOverlongIds() {
        assertRejected("a".repeat(129), query(), HttpStatus.BAD_REQUEST, "invalid-room-id");
        assertThat(parser.parse("a".repeat(128), query(), List.of()).query().roomId()).hasSize(128);
    }

    @Test
    void selectsProvidersInConfiguredOrder() {
        RoomRequest request = parser.parse("r", query("providers", "videosdk-1,plugnmeet-eu"), List.of());
        assertThat(request.providers()).extracting(client -> client.instance().name())
            .containsExactly("plugnmeet-eu", "videosdk-1");
    }

    @Test
    void defaultsToEveryEnabledProviderAndParticipants() {
        RoomRequest request = parser.parse("r", query(), List.of());
        assertThat(request.providers()).hasSize(3);
        assertThat(request.query().includeParticipants()).isTrue();
        assertThat(parser.parse("r", query("participants", "false"), List.of()).query().includeParticipants())
            .isFalse();
    }

    @Test
    void refusesBadParameters() {
        assertRejected("r", query("providers", "zoom"), HttpStatus.BAD_REQUEST, "unknown-provider");
        assertRejected("r", query("providers", "TENCENT-SG"), HttpStatus.BAD_REQUEST, "unknown-provider");
        assertRejected("r", query("providers", ""), HttpStatus.BAD_REQUEST, "unknown-provider");
        assertRejected("r", query("providers", "tencent-sg,"), HttpStatus.BAD_REQUEST, "unknown-provider");
        assertRejected("r", query("providers", "tencent-sg,tencent-sg"), HttpStatus.BAD_REQUEST,
                "duplicate-parameter");
        assertRejected("r", query("providers", "tencent-sg", "providers", "videosdk-1"), HttpStatus.BAD_REQUEST,
                "duplicate-parameter");
        assertRejected("r", query("participants", "yes"), HttpStatus.BAD_REQUEST, "invalid-parameter");
        assertRejected("r", query("api_key", "x"), HttpStatus.BAD_REQUEST, "unknown-parameter");
    }

    @Test
    void detailsNeverEchoTheInput() {
        assertThatThrownBy(() -> parser.parse("evil%3Cscript%3E", query(), List.of()))
            .hasMessageNotContaining("script");
        assertThatThrownBy(() -> parser.parse("r", query("providers", "<script>"), List.of()))
            .hasMessageNotContaining("script");
    }

    @Test
    void answersOnlyJson() {
        assertThat(parser.parse("r", query(), List.of("application/json, text/plain;q=0.5"))).isNotNull();
        assertThat(parser.parse("r", query(), List.of("*/*"))).isNotNull();
        assertThatThrownBy(() -> parser.parse("r", query(), List.of("application/xml")))
            .isInstanceOfSatisfying(RejectedRequest.class,
                    rejected -> assertThat(rejected.status()).isEqualTo(HttpStatus.NOT_ACCEPTABLE));
    }
}
