package dev.roomgate.emulator;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ProviderEmulatorTests {

    /** The smallest emulator: every path is an API named after its first segment, answered with "ok". */
    static class EchoEmulator extends ProviderEmulator<EchoEmulator> {

        @Override
        String apiName(RecordedRequest request) {
            return request.getUrl().pathSegments().get(0);
        }

        @Override
        Reply handle(RecordedRequest request) {
            return Reply.text(200, "ok");
        }
    }

    private final EchoEmulator emulator = new EchoEmulator();

    @AfterEach
    void close() {
        emulator.close();
    }

    @Test
    void baseUrlIsLoopbackWithoutTrailingSlash() {
        emulator.start();
        assertThat(emulator.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void baseUrlBeforeStartFails() {
        assertThatThrownBy(emulator::baseUrl).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void countsCallsPerApiAndKeepsTargetsInOrder() {
        emulator.start();
        TestHttp.get(emulator.baseUrl() + "/a/x?q=1");
        TestHttp.get(emulator.baseUrl() + "/b");
        TestHttp.get(emulator.baseUrl() + "/a/y");

        assertThat(emulator.calls("a")).isEqualTo(2);
        assertThat(emulator.calls("b")).isEqualTo(1);
        assertThat(emulator.calls("c")).isZero();
        assertThat(emulator.totalCalls()).isEqualTo(3);
        assertThat(emulator.receivedTargets()).containsExactly("/a/x?q=1", "/b", "/a/y");
    }

    @Test
    void resetCallsForgetsEverything() {
        emulator.start();
        TestHttp.get(emulator.baseUrl() + "/a");
        emulator.resetCalls();

        assertThat(emulator.calls("a")).isZero();
        assertThat(emulator.totalCalls()).isZero();
        assertThat(emulator.receivedTargets()).isEmpty();
    }

    @Test
    void failWithAnswersEveryRequestUntilCleared() {
        emulator.start();
        emulator.failWith(503, "{\"down\":true}");

        TestHttp.Response first = TestHttp.get(emulator.baseUrl() + "/a");
        TestHttp.Response second = TestHttp.get(emulator.baseUrl() + "/a");
        emulator.clearFaults();
        TestHttp.Response third = TestHttp.get(emulator.baseUrl() + "/a");

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"down\":true}");
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(second.status()).isEqualTo(503);
        assertThat(third.status()).isEqualTo(200);
        assertThat(emulator.calls("a")).isEqualTo(3);
    }

    @Test
    void failWithNullBodySendsEmptyBody() {
        emulator.start();
        emulator.failWith(500, null);

        TestHttp.Response response = TestHttp.get(emulator.baseUrl() + "/a");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void failNextTimesFailsExactlyThatManyThenRecovers() {
        emulator.start();
        emulator.failNextTimes(2, 502);

        List<Integer> statuses = IntStream.range(0, 4)
            .mapToObj(i -> TestHttp.get(emulator.baseUrl() + "/a").status())
            .toList();

        assertThat(statuses).containsExactly(502, 502, 200, 200);
    }

    @Test
    void failNextTimesIsExactUnderConcurrentRequests() throws Exception {
        emulator.start();
        emulator.failNextTimes(10, 503);

        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 40)
            .mapToObj(i -> TestHttp.getAsync(emulator.baseUrl() + "/a/" + i, Duration.ofSeconds(10)))
            .toList();
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        long failed = responses.stream().filter(response -> response.join().statusCode() == 503).count();
        assertThat(failed).isEqualTo(10);
        assertThat(emulator.calls("a")).isEqualTo(40);
        assertThat(emulator.receivedTargets()).hasSize(40);
    }

    @Test
    void delayHoldsBackTheResponse() {
        emulator.start();
        emulator.delay(Duration.ofMillis(400));

        long started = System.nanoTime();
        TestHttp.Response response = TestHttp.get(emulator.baseUrl() + "/a");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(400);
    }

    @Test
    void hangNeverAnswersAndDoesNotBlockClose() {
        emulator.start();
        emulator.hang();

        CompletableFuture<HttpResponse<String>> response = TestHttp.getAsync(emulator.baseUrl() + "/a",
                Duration.ofMillis(500));

        assertThatThrownBy(() -> response.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(emulator.calls("a")).isEqualTo(1);
        long started = System.nanoTime();
        emulator.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3000);
    }

    @Test
    void closeWhileAClientStillWaitsOnAHangEndsThatExchange() {
        emulator.start();
        emulator.hang();
        CompletableFuture<HttpResponse<String>> response = TestHttp.getAsync(emulator.baseUrl() + "/a",
                Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(5)).until(() -> emulator.calls("a") == 1);

        long started = System.nanoTime();
        emulator.close();

        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
    }

    @Test
    void anEmulatorBugIsAVisible500() {
        EchoEmulator broken = new EchoEmulator() {
            @Override
            Reply handle(RecordedRequest request) {
                throw new IllegalStateException("boom");
            }
        };
        try (broken) {
            broken.start();
            TestHttp.Response response = TestHttp.get(broken.baseUrl() + "/a");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).contains("boom");
        }
    }
}
