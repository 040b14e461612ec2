package dev.roomgate.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The main port's timeouts and connection cap, over raw sockets. Nothing here waits on a clock of its own: every wait
 * is a blocking read bounded by {@code SO_TIMEOUT}, many times longer than the timeout it waits for, and an answer
 * (408, an end of stream without a byte, a counter) says which rule closed the connection.
 */
@TestPropertySource(properties = { "roomgate.server.request-header-timeout=300ms",
                // Longer than the header timeout, so that a silent close can only be the idle rule, and long
                // enough that a busy machine's pauses between a test's own requests do not reach it.
                "roomgate.server.idle-timeout=3s", "roomgate.server.max-connections=5" })
class ServerTimeoutsTests extends RoomgateIntegrationTest {

    static final String REQUEST = "GET /v1/providers HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
            + ProviderEmulators.API_KEY + "\r\n\r\n";

    /** The bound on every wait: far beyond any timeout under test, so only a missing close fails it. */
    static final int BOUND_MILLIS = 20_000;

    @Autowired
    MeterRegistry meters;

    @Test
    void halfAHeaderIsAnsweredWith408AndClosed() throws IOException {
        double timeoutsBefore = headerTimeouts();
        try (Raw connection = connect()) {
            connection.send("GET /v1/providers HTTP/1.1\r\nHost: x\r\n");
            assertThat(connection.readUntilClosed()).startsWith("HTTP/1.1 408 ");
        }
        assertThat(headerTimeouts() - timeoutsBefore).isEqualTo(1.0);
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Raw connection = connect()) {
            assertThat(connection.readUntilClosed()).as("closed without a word").isEmpty();
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedQuietly() throws IOException {
        double timeoutsBefore = headerTimeouts();
        try (Raw connection = connect()) {
            connection.send(REQUEST);
            assertThat(connection.readResponse().status()).isEqualTo(200);
            // No 408: the header deadline waits for a request's first byte; the idle rule closes in silence.
            assertThat(connection.readUntilClosed()).isEmpty();
        }
        assertThat(headerTimeouts()).as("closed by the idle rule, not the header deadline").isEqualTo(timeoutsBefore);
    }

    @Test
    void theHeaderDeadlineRestartsWithEachRequest() throws IOException {
        try (Raw connection = connect()) {
            long start = System.nanoTime();
            int answered = 0;
            // Requests for four header timeouts from the connection's opening: a deadline counted from the opening
            // (or from the first request) would have closed it long before.
            while (answered < 3 || System.nanoTime() - start < 4 * 300_000_000L) {
                connection.send(REQUEST);
                assertThat(connection.readResponse().status()).as("answer %d", answered + 1).isEqualTo(200);
                answered++;
            }
            // And it applies to a later request too: half a header after several answers gets the 408.
            connection.send("GET /v1/providers HTTP/1.1\r\n");
            assertThat(connection.readUntilClosed()).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void pastMaxConnectionsANewConnectionIsClosedAtOnceAndTheOthersStillWork() throws IOException {
        double refusedBefore = refused();
        List<Raw> accepted = new ArrayList<>();
        try {
            // Connections left by other tests may still be closing, so open until one is refused, each answering a
            // request at once (an unused connection would meet the header deadline instead).
            Raw extra = null;
            while (extra == null) {
                assertThat(accepted).as("accepted connections").hasSizeLessThanOrEqualTo(5);
                Raw connection = connect();
                if (connection.tryRequest()) {
                    accepted.add(connection);
                }
                else {
                    extra = connection;
                }
            }
            extra.close();
            assertThat(refused() - refusedBefore).as("refused connections").isEqualTo(1.0);
            // Five unless a connection of another test was still closing when this one began.
            assertThat(accepted).isNotEmpty();
            assertThat(meters.get("roomgate.server.connections.open").gauge().value())
                .isBetween((double) accepted.size(), 5.0);
            for (Raw connection : accepted) {
                connection.send(REQUEST);
                assertThat(connection.readResponse().status()).as("an accepted connection still works")
                    .isEqualTo(200);
            }
            try (Raw probe = connect(managementPort)) {
                probe.send("GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(probe.readResponse().status()).as("the management port is not capped").isEqualTo(200);
            }
        }
        finally {
            for (Raw connection : accepted) {
                connection.close();
            }
        }
    }

    private double refused() {
        return meters.get("roomgate.server.connections.refused").counter().count();
    }

    private double headerTimeouts() {
        return meters.get("roomgate.server.header.timeouts").counter().count();
    }

    private Raw connect() throws IOException {
        return connect(port);
    }

    private static Raw connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(BOUND_MILLIS);
        return new Raw(socket);
    }

    record Response(int status, String head, byte[] body) {
    }

    /** One client connection, read byte by byte so that answers on a kept-alive connection stay apart. */
    static final class Raw implements AutoCloseable {

        private final Socket socket;

        private final InputStream in;

        private final OutputStream out;

        Raw(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Sends a request: true when it is answered, false when the server closes without a byte. */
        boolean tryRequest() throws IOException {
            try {
                send(REQUEST);
                int first = in.read();
                if (first < 0) {
                    return false;
                }
                assertThat(readResponse((char) first + "").status()).isEqualTo(200);
                return true;
            }
            catch (SocketException closedOnArrival) {
                // The server closed before reading the request: the client may see a reset instead of an end.
                return false;
            }
            catch (SocketTimeoutException stillOpen) {
                return fail("neither answered nor closed within %d ms", BOUND_MILLIS);
            }
        }

        Response readResponse() throws IOException {
            return readResponse("");
        }

        private Response readResponse(String start) throws IOException {
            StringBuilder head = new StringBuilder(start);
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return fail("closed before the answer's headers ended: %s", head);
                }
                head.append((char) b);
            }
            String headers = head.toString().toLowerCase(Locale.ROOT);
            byte[] body;
            if (headers.contains("\r\ntransfer-encoding: chunked")) {
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0;) {
                    chunks.write(in.readNBytes(size));
                    line();
                }
                line();
                body = chunks.toByteArray();
            }
            else {
                int at = headers.indexOf("\r\ncontent-length:");
                int length = at < 0 ? 0
                        : Integer.parseInt(headers.substring(at + 17, headers.indexOf("\r\n", at + 2)).trim());
                body = in.readNBytes(length);
            }
            return new Response(Integer.parseInt(head.substring(9, 12)), head.toString(), body);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n';) {
                if (b < 0) {
                    return fail("closed inside a chunked body");
                }
                line.append((char) b);
            }
            return line.toString().trim();
        }

        /** Everything the server sends until it closes the connection, bounded by {@code SO_TIMEOUT}. */
        String readUntilClosed() throws IOException {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                for (int b; (b = in.read()) >= 0;) {
                    received.write(b);
                }
            }
            catch (SocketTimeoutException stillOpen) {
                return fail("not closed within %d ms; received %s", BOUND_MILLIS,
                        received.toString(StandardCharsets.ISO_8859_1));
            }
            catch (SocketException reset) {
                // A reset is a close too.
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
