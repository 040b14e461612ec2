package dev.roomgate.api;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RawHttp;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input catalogue of reliability.md section 3, sent byte for byte over a raw socket: each gets the right
 * 4xx, injects nothing into the answer, and causes no upstream call at all.
 */
class BadInputCatalogueTests extends RoomgateIntegrationTest {

    static final String KEY = "X-API-Key: " + ProviderEmulators.API_KEY + "\r\n";

    @AfterEach
    void noUpstreamCall() {
        assertThat(emulators.totalCalls()).as("upstream calls").isZero();
    }

    static Arguments get(String id, String target, Integer... expected) {
        return Arguments.of(id, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + KEY + "Connection: close\r\n\r\n",
                Set.of(expected));
    }

    static Arguments raw(String id, String request, Integer... expected) {
        return Arguments.of(id, request, Set.of(expected));
    }

    static String withHeaders(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + KEY + headers + "Connection: close\r\n\r\n";
    }

    static Stream<Arguments> catalogue() {
        String r = "/v1/rooms/";
        return Stream.of(
                get("I1 encoded traversal", r + "..%2F..%2Factuator%2Fenv", 400),
                get("I2 raw dot segments", r + "../../actuator/env", 400, 404),
                get("I3 double encoding", r + "%252e%252e%252f", 400),
                get("I4 encoded backslash", r + "..%5c..%5c", 400),
                get("I5 NUL", r + "a%00b", 400),
                get("I5 BEL", r + "a%07b", 400),
                get("I5 DEL", r + "a%7fb", 400),
                get("I6 CRLF in the id", r + "abc%0d%0aSet-Cookie:%20x=1", 400),
                get("I8 fullwidth look-alike", r + "%EF%BD%92oom%EF%BC%91", 400),
                get("I8 Cyrillic look-alike", r + "r%D0%BE%D0%BEm", 400),
                get("I9 zero-width space", r + "room%E2%80%8B1", 400),
                get("I9 bidi override", r + "%E2%80%AEroom", 400),
                get("I10 129 characters", r + "a".repeat(129), 400),
                get("I10 3000 characters", r + "a".repeat(3000), 400),
                get("I10 10 kB request line", r + "a".repeat(10_000), 414),
                get("I11 empty id", r, 400),
                get("I11 blank id", r + "%20", 400),
                get("I12 SQL-ish", r + "1'%20OR%20'1'='1", 400),
                get("I12 comment", r + "abc;--", 400),
                get("I13 operator injection", r + "%7B%22$ne%22:null%7D", 400),
                get("I13 operator parameter", r + "abc?roomId[$ne]=1", 400),
                get("I14 JSON injection", r + "abc%22,%22RoomId%22:%22victim", 400),
                get("I15 query in the id", r + "abc&status=ended", 400),
                get("I15 encoded fragment", r + "abc%23x", 400),
                get("I15 extra query", r + "abc?x", 400),
                get("I16 SSRF-shaped", r + "http:%2F%2F169.254.169.254%2F", 400),
                get("I16 at-sign first", r + "@127.0.0.1", 400),
                get("I16 double slash", r + "/evil", 400),
                get("I17 repeated parameter", r + "abc?providers=tencent-demo&providers=plugnmeet-demo", 400),
                get("I17 repeated provider", r + "abc?providers=tencent-demo,tencent-demo", 400),
                get("I18 unknown provider", r + "abc?providers=zoom", 400),
                get("I19 provider case variant", r + "abc?providers=TENCENT-DEMO", 400),
                get("I19 provider with NUL", r + "abc?providers=tencent-demo%00", 400),
                get("I20 parameter flood", r + "abc" + "?providers=".concat("&providers=".repeat(1000)), 400, 414),
                raw("I7 CRLF-split request id", withHeaders(r + "bad%2F", "X-Request-Id: a\r\nX-Evil: 1\r\n"), 400),
                raw("I21 64 KiB header", withHeaders(r + "abc", "X-Pad: " + "p".repeat(65_536) + "\r\n"), 431, 400),
                raw("I22 many headers", withHeaders(r + "abc", "X-a: b\r\n".repeat(10_000)), 431, 400),
                raw("I23 underscore header", withHeaders(r + "bad%2F", "X_Forwarded_For: 1.2.3.4\r\n"), 400),
                raw("I24 spoofed client address", withHeaders(r + "bad%2F", "X-Forwarded-For: 1.2.3.4\r\n"), 400),
                raw("I25 POST", "POST " + r + "abc HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Content-Length: 2\r\nConnection: close\r\n\r\n{}", 405),
                raw("I25 DELETE", "DELETE " + r + "abc HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Connection: close\r\n\r\n", 405),
                raw("I26 TRACE", "TRACE " + r + "abc HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Connection: close\r\n\r\n", 405, 400),
                raw("I26 custom method", "FOO " + r + "abc HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Connection: close\r\n\r\n", 405, 400),
                raw("I27 preflight from a stranger", "OPTIONS " + r + "abc HTTP/1.1\r\nHost: localhost\r\n"
                        + "Origin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n"
                        + "Connection: close\r\n\r\n", 401, 403, 405),
                raw("I28 GET with a large declared body", "GET /v1/providers HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Content-Length: 10000000\r\nConnection: close\r\n\r\n", 200, 400, 413),
                raw("I30 XML only", withHeaders(r + "abc", "Accept: application/xml\r\n"), 406),
                raw("I31 both TE and CL", "GET " + r + "abc HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n",
                        400),
                raw("I31 duplicate CL", "GET " + r + "abc HTTP/1.1\r\nHost: localhost\r\n" + KEY
                        + "Content-Length: 0\r\nContent-Length: 7\r\nConnection: close\r\n\r\n", 400),
                raw("I32 absolute form", "GET http://evil.example" + r + "bad%2F HTTP/1.1\r\nHost: evil.example\r\n"
                        + KEY + "Connection: close\r\n\r\n", 400),
                get("I33 trailing slash", r + "abc/", 400),
                get("I33 matrix parameter", r + "abc;jsessionid=1", 400),
                get("I33 upper-case path", "/V1/ROOMS/abc", 404),
                raw("I34 no key", "GET " + r + "abc HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 401),
                raw("I34 bare bearer", "GET " + r + "abc HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer\r\n"
                        + "Connection: close\r\n\r\n", 401),
                raw("I35 unsigned JWT", "GET " + r + "abc HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.\r\nConnection: close\r\n\r\n", 401),
                get("I38 key in the query", r + "abc?api_key=" + ProviderEmulators.API_KEY, 400),
                raw("I39 trace header garbage", withHeaders(r + "bad%2F", "traceparent: xyz\r\nbaggage: "
                        + "b".repeat(4_000) + "\r\n"), 400),
                raw("client timeout not a number", withHeaders(r + "abc", "X-Request-Timeout: soon\r\n"), 400),
                raw("client timeout of zero", withHeaders(r + "abc", "X-Request-Timeout: 0\r\n"), 400),
                raw("client timeout negative", withHeaders(r + "abc", "X-Request-Timeout: -5\r\n"), 400),
                raw("client timeout in seconds", withHeaders(r + "abc", "X-Request-Timeout: 1.5\r\n"), 400),
                raw("client timeout twice", withHeaders(r + "abc", "X-Request-Timeout: 500\r\n"
                        + "X-Request-Timeout: 900\r\n"), 400),
                get("I40 actuator on the main port", "/actuator/heapdump", 404),
                get("I40 gateway actuator", "/actuator/gateway/routes", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInputGetsTheRight4xxAndChangesNothing(String id, String request, Set<Integer> expected)
            throws IOException {
        String answer = send(request);
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(status).as(id + ": " + answer.lines().findFirst().orElse("")).isIn(expected);
        String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
        assertThat(head.toLowerCase()).as("nothing injected into the answer's headers")
            .doesNotContain("set-cookie", "x-evil", "access-control-allow-origin");
        assertThat(answer).doesNotContain("Exception", "at dev.roomgate", "at org.springframework");
    }

    private String send(String request) throws IOException {
        return RawHttp.send(port, request);
    }
}
