package dev.roomgate.provider.tencent;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The URL put together from pieces is the builder's own, character for character, whatever the values hold. */
class TencentUrisTests {

    private static final List<String> USERSIGS = List.of("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqnFyYlFBUAhY-xUBTZKIQ__",
            "eJw1jMEKgjAQRH-l7Ll2sJ3ZtW*-_=+/", "with space and %25 and &=?#[]@!$'()*,;", "ünïcödé", "");

    @ParameterizedTest
    @ValueSource(strings = { "https://adminapisgp.im.qcloud.com", "http://127.0.0.1:8089", "http://127.0.0.1:8089/",
            "https://gateway.example/tencent/sg", "https://gateway.example/tencent/sg/" })
    void piecesGiveTheBuildersUrl(String base) {
        TencentUris uris = new TencentUris(URI.create(base), 1400000001L, "administrator");
        for (String command : List.of("get_room_info", "get_member_list", "get_room_list")) {
            for (String userSig : USERSIGS) {
                for (long random : new long[] { 0, 7, 4294967295L }) {
                    assertThat(uris.of(command, userSig, random).toString()).isEqualTo(TencentUris
                        .built(URI.create(base), command, 1400000001L, "administrator", userSig, random)
                        .toString());
                }
            }
        }
    }
}
