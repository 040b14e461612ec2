package dev.roomgate.resilience;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.support.ClientHarness;
import dev.roomgate.support.RawHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transport faults against a real socket, through the production HTTP setup and resilience policy: what each
 * becomes, how many upstream calls it costs, and that it ends within the budget.
 */
class UpstreamFaultsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String SESSIONS = "{\"pageInfo\":{\"currentPage\":1,\"lastPage\":1,\"total\":0},\"data\":[]}";

    private RawHttpServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ClientHarness.Run fetch(int maxAttempts, int maxBodyBytes) {
        return ClientHarness.fetch(ClientHarness.client(ClientHarness.instance("videosdk-raw", ProviderType.VIDEOSDK,
                server.baseUrl(), maxAttempts, new ProviderCredentials.VideoSdk("k", Secret.of("raw-secret"))),
                maxBodyBytes), "room-1", false);
    }

    private static void reset(java.net.Socket socket) throws java.io.IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private void expectFailure(ClientHarness.Run run, ProviderStatus status, String code) {
        StepVerifier.create(run.lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(status);
                assertThat(failure.toError().code()).isEqualTo(code);
            })
            .verify(WAIT);
    }

    @Test
    void aResetConnectionIsRetriedThenReported() throws Exception {
        server = new RawHttpServer((socket, out) -> reset(socket));
        ClientHarness.Run run = fetch(3, 1 << 20);
        expectFailure(run, ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_UNREACHABLE");
        assertThat(server.requests()).isEqualTo(3);
        assertThat(run.budget().retries()).isEqualTo(2);
    }

    @Test
    void aResetOnceThenAnAnswerIsOkWithOneRetry() throws Exception {
        int[] seen = { 0 };
        server = new RawHttpServer((socket, out) -> {
            if (seen[0]++ == 0) {
                reset(socket);
                return;
            }
            byte[] body = SESSIONS.getBytes(StandardCharsets.UTF_8);
            RawHttpServer.answer(out, 200, "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n",
                    body);
        });
        ClientHarness.Run run = fetch(3, 1 << 20);
        StepVerifier.create(run.lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(run.budget().retries()).isEqualTo(1);
    }

    @Test
    void aMalformedChunkIsAnUpstreamError() throws Exception {
        server = new RawHttpServer((socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\n{\"pag\r\nZZZ-not-a-size\r\nxx\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.close();
        });
        ClientHarness.Run run = fetch(1, 1 << 20);
        expectFailure(run, ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_UNREACHABLE");
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void aBodyDribbledAfterTheHeadersIsCutOffByTheAttemptDeadline() throws Exception {
        server = new RawHttpServer((socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttpServer.dribble(server.counting(out), 999, Duration.ofMillis(100));
        });
        // ClientHarness: 3 s budget, 1 s per attempt, so exactly three attempts fit.
        ClientHarness.Run run = fetch(3, 1 << 20);
        // The last attempt may have had less than a full deadline left: then the budget, not the provider, ended it.
        StepVerifier.create(run.lookup())
            .expectErrorSatisfies(error -> {
                assertThat(((ProviderException) error).status()).isEqualTo(ProviderStatus.TIMEOUT);
                assertThat(((ProviderException) error).code()).isIn("UPSTREAM_TIMEOUT", ProviderException.BUDGET_ENDED);
            })
            .verify(WAIT);
        assertThat(server.requests()).isBetween(2, 3);
        // Cut off: the client hung up on every attempt long before the provider had dribbled its body out.
        assertThat(server.bytesWritten()).isLessThan(999L * server.requests());
    }

    @Test
    void aThirtyMegabyteBodyIsRefusedWhileReadingWithoutReadingItAll() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        long size = 30L * 1024 * 1024;
        server = new RawHttpServer((socket, out) -> {
            OutputStream counted = server.counting(out);
            counted.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            for (long sent = 0; sent < size; sent += chunk.length) {
                counted.write(chunk);
            }
            counted.flush();
        });
        ClientHarness.Run run = fetch(3, 4 * 1024 * 1024);
        expectFailure(run, ProviderStatus.INVALID_RESPONSE, "UPSTREAM_BODY_TOO_LARGE");
        assertThat(server.requests()).as("not retried").isEqualTo(1);
        // Whatever the socket buffers took, the client stopped long before 30 MB.
        assertThat(server.bytesWritten()).isLessThan(size);
    }
}
