package dev.roomgate.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.TencentRoom;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Far more than 200 rooms a second offered to one Tencent instance through the public API: the provider never sees
 * more than its quota in any sliding second, and every client gets a prompt, well-formed answer.
 */
// 350 uncached requests a second is more than a loaded 2-core test box answers in time, and the gateway would rightly
// shed some (LoadSheddingTests); this test is about the quota, so every request must reach it.
@org.springframework.test.context.TestPropertySource(properties = "roomgate.server.max-event-loop-lag=1h")
class QuotaUnderLoadTests extends RoomgateIntegrationTest {

    static final int ROOMS = 700;

    static final Duration OFFERED_OVER = Duration.ofSeconds(2);

    @Autowired
    InstanceGuards guards;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @BeforeAll
    static void loadRooms() {
        // Room ids no other test asks for: each request below misses the shared context's cache.
        IntStream.range(0, ROOMS).forEach(i -> emulators.tencent.addRoom(new TencentRoom("load-" + i, "Load " + i,
                "owner-" + i, 1700000000L, 50, false, List.of("member-" + i))));
    }

    record Answer(int status, JsonNode body, Duration elapsed) {
    }

    private static String status(Answer answer) {
        return answer.body().path("providers").path(0).path("status").asString();
    }

    /** What went wrong, by status and error, with the latencies: enough to tell a slow box from a broken policy. */
    private static String describe(List<Answer> answers) {
        Map<String, Long> byError = answers.stream()
            .collect(Collectors.groupingBy(a -> status(a) + " " + a.body().path("providers").path(0).path("error"),
                    Collectors.counting()));
        List<Long> okMillis = answers.stream()
            .filter(a -> a.status() == 200)
            .map(a -> a.elapsed().toMillis())
            .sorted()
            .toList();
        return byError + (okMillis.isEmpty() ? "" : " ok p50=" + okMillis.get(okMillis.size() / 2) + "ms max="
                + okMillis.get(okMillis.size() - 1) + "ms");
    }

    @Test
    void theUpstreamNeverSeesMoreThanTheQuotaInAnySlidingSecond() {
        ConnectionProvider connections = ConnectionProvider.builder("load").maxConnections(ROOMS)
            .pendingAcquireMaxCount(-1).build();
        HttpClient http = HttpClient.create(connections).baseUrl("http://localhost:" + port)
            .headers(headers -> headers.set("X-API-Key", ProviderEmulators.API_KEY));
        JsonMapper json = JsonMapper.builder().build();
        Duration spacing = OFFERED_OVER.dividedBy(ROOMS);

        // Warm up first (JIT, connection pools, emulator threads) at a pace far below the quota, as any benchmark
        // does: a cold JVM on two cores is slow for a few seconds, and that would measure the JVM, not the policy.
        // One request at a time to begin with: on a loaded box a cold JVM's first answers can take longer than the
        // instance's timeout, and enough of them at once would open its breaker for the measured load.
        // Rooms of its own, so that nothing the measured load asks for is already cached.
        IntFunction<Mono<byte[]>> warm = i -> http.get()
            .uri("/v1/rooms/warm-" + i + "?providers=" + ProviderEmulators.TENCENT)
            .responseSingle((response, body) -> body.asByteArray());
        Mono<Long> warmUp = Flux.concat(
                Flux.range(0, 30).concatMap(warm::apply),
                Flux.range(30, 120).delayElements(Duration.ofMillis(20)).flatMap(warm::apply))
            .count();
        StepVerifier.create(warmUp).expectNext(150L).expectComplete().verify(Duration.ofSeconds(60));
        StepVerifier.create(Mono.delay(Duration.ofMillis(1500))).expectNextCount(1).expectComplete()
            .verify(Duration.ofSeconds(5));
        // Whatever a slow warm-up did to the breaker, the measured load starts with it closed.
        guards.find(ProviderEmulators.TENCENT).breaker().reset();
        emulators.tencent.resetCalls();

        Mono<List<Answer>> load = Flux.range(0, ROOMS)
            .delayElements(spacing)
            .flatMap(i -> {
                long started = System.nanoTime();
                return http.get()
                    .uri("/v1/rooms/load-" + i + "?providers=" + ProviderEmulators.TENCENT)
                    .responseSingle((response, body) -> body.asByteArray()
                        .map(bytes -> new Answer(response.status().code(), json.readTree(bytes),
                                Duration.ofNanos(System.nanoTime() - started))));
            }, ROOMS)
            .collectList();

        StepVerifier.create(load)
            .assertNext(answers -> {
                assertThat(answers).hasSize(ROOMS);
                Map<String, Long> byStatus = answers.stream()
                    .collect(Collectors.groupingBy(QuotaUnderLoadTests::status, Collectors.counting()));
                // A timeout is a truthful answer too: on a loaded box a granted call's answer can come later than
                // the instance's budget (seen: 3 to 24 of 700), and how many is the machine's, not the policy's.
                assertThat(byStatus.keySet()).as(describe(answers)).containsAnyOf("ok")
                    .isSubsetOf("ok", "rate_limited", "timeout");
                assertThat(byStatus.get("ok")).as(describe(answers)).isGreaterThan(100L);
                // How many are refused is the machine's too: a slow box offers the same 700 over a longer time.
                // That the quota was contended is shown at the upstream below.
                // No bound on the time taken here: that would race a loaded machine's clock. The budget's planning
                // is tested in virtual time (RoomAggregatorTests, PermitQueueTests, ResilientCallPolicyTests).
                assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isIn(200, 502));
                assertThat(answers.stream().filter(a -> a.status() == 502)
                    .map(a -> a.body().path("providers").path(0).path("error").path("code").asString()))
                    .isSubsetOf("QUOTA_EXHAUSTED", "UPSTREAM_TIMEOUT");
            })
            .expectComplete()
            .verify(Duration.ofSeconds(60));
        connections.dispose();

        for (String api : List.of(TencentEmulator.GET_ROOM_INFO, TencentEmulator.GET_MEMBER_LIST)) {
            assertThat(emulators.tencent.maxCallsInAnyWindow(api, Duration.ofSeconds(1))).as(api)
                .isLessThanOrEqualTo(200);
        }
        assertThat(emulators.tencent.maxCallsInAnyWindow(Duration.ofSeconds(1)))
            .as("the instance's one quota covers both APIs, counted as they arrive")
            .isLessThanOrEqualTo(200);
        // That it was contended is what the quota did, not how fast this box offered the load: calls waited for a
        // permit, or were refused one (a bound on the arrivals, 150 of 200, failed at 146 on a loaded box).
        double waited = meters.find("roomgate.quota.wait").tag("provider", ProviderEmulators.TENCENT).timers()
            .stream().mapToDouble(timer -> timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).sum();
        double refused = meters.find("roomgate.quota.rejections").tag("provider", ProviderEmulators.TENCENT)
            .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        assertThat(waited + refused).as("the quota was contended: calls waited %s ms, %s refused", waited, refused)
            .isPositive();
        assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO)).isGreaterThan(100);
    }
}
