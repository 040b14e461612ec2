package dev.roomgate.observability;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.Await;
import dev.roomgate.support.CacheOffIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With DEBUG on (the cache-off shape has it), every line written while a request is handled carries its id, and each request ends with one access line. */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogsTests extends CacheOffIntegrationTest {

    @Test
    void theRequestIdIsOnEveryLineOfTheRequestAndTheAccessLineSaysWhatHappened(CapturedOutput output) {
        emulators.tencent.failWith(500, null);
        client.get().uri("/v1/rooms/{id}", DemoRooms.DEMO_STANDUP)
            .header("X-Request-Id", "trace-me-4711").exchange()
            .expectStatus().isOk();
        client.get().uri(java.net.URI.create("http://localhost:" + port + "/v1/rooms/bad%2Fid"))
            .header("X-Request-Id", "bad-input-42")
            .exchange()
            .expectStatus().isBadRequest();

        // The access line is written once the response is complete, so it may trail the client's view a little.
        Await.until("the access line of the bad request", () -> output.getAll().contains("[bad-input-42]"));
        List<String> lines = output.getAll().lines().toList();
        List<String> failureLines = lines.stream()
            .filter(line -> line.contains("provider=tencent-demo status=upstream_error"))
            .toList();
        assertThat(failureLines).as("the debug line a provider failure writes, on a reactor thread").isNotEmpty()
            .allSatisfy(line -> assertThat(line).contains("[trace-me-4711]"));
        assertThat(lines.stream().filter(line -> line.contains("roomgate.access")).toList())
            .anySatisfy(line -> assertThat(line).contains("[trace-me-4711]",
                    "GET /v1/rooms/" + DemoRooms.DEMO_STANDUP + " 200",
                    "complete=false providers=plugnmeet-demo:ok,tencent-demo:upstream_error,videosdk-demo:ok"))
            .anySatisfy(line -> assertThat(line).contains("[bad-input-42]", "GET /v1/rooms/bad%2Fid 400"));
    }
}
