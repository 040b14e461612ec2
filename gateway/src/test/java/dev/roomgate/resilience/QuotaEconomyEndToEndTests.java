package dev.roomgate.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.TencentRoom;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients contending for one Tencent instance's quota through the public API, each asking for rooms nobody else
 * asks for: the quota is split by the keys' shares, interactive work goes before background work, the lookups that
 * start finish, and the provider never sees more than its quota in any sliding second. The quota is small (40 calls
 * a second, 20 lookups) so that a few requests a second contend for it. Proportions only: what the machine's speed
 * changes (how many answers in all, how fast) is not asserted; the benchmark measures it.
 */
// Offered loads past what a loaded 2-core test box answers in time: the gateway would rightly shed some
// (LoadSheddingTests), and this test is about the quota, so every request must reach it (as QuotaUnderLoadTests).
@org.springframework.test.context.TestPropertySource(properties = "roomgate.server.max-event-loop-lag=1h")
class QuotaEconomyEndToEndTests extends RoomgateIntegrationTest {

    static final int LIMIT = 40;

    static final String BIG = "big-share-key-3a9f", SMALL = "small-share-key-7c21", NIGHTLY = "nightly-key-5e0b",
            MODEST = "modest-key-1d84";

    static final int ROOMS = 400;

    @DynamicPropertySource
    static void contendedQuota(DynamicPropertyRegistry registry) {
        registry.add("roomgate.cache.enabled", () -> "false");
        registry.add("roomgate.providers." + ProviderEmulators.TENCENT + ".rate-limit.requests-per-second",
                () -> Integer.toString(LIMIT));
        List<String[]> keys = List.of(new String[] {"big", BIG, "3", "interactive"},
                new String[] {"small", SMALL, "1", "interactive"}, new String[] {"nightly", NIGHTLY, "1", "background"},
                new String[] {"modest", MODEST, "1", "interactive"});
        for (int i = 0; i < keys.size(); i++) {
            String[] key = keys.get(i);
            String p = "roomgate.security.api-keys[" + (i + 1) + "].";
            registry.add(p + "name", () -> key[0]);
            registry.add(p + "sha256", () -> CacheOffIntegrationTest.hash(key[1]));
            registry.add(p + "permissions", () -> "rooms,participants");
            registry.add(p + "quota-share", () -> key[2]);
            registry.add(p + "priority", () -> key[3]);
        }
    }

    @BeforeAll
    static void rooms() {
        for (String prefix : List.of("big", "small", "nightly", "modest")) {
            IntStream.range(0, ROOMS).forEach(i -> emulators.tencent.addRoom(new TencentRoom("econ-" + prefix + "-" + i,
                    "Room " + i, "owner-" + i, 1700000000L, 50, false, List.of("member-" + i))));
        }
    }

    ConnectionProvider connections;

    HttpClient http;

    final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void connect() {
        connections = ConnectionProvider.builder("economy").maxConnections(2 * ROOMS).pendingAcquireMaxCount(-1)
            .build();
        http = HttpClient.create(connections).baseUrl("http://localhost:" + port);
        emulators.tencent.resetCalls();
    }

    @AfterEach
    void disconnect() {
        connections.dispose();
    }

    record Answer(String client, String status) {
    }

    /** {@code count} requests from one key, {@code every} apart, each for a room of its own. */
    private Flux<Answer> offer(String client, String key, int count, Duration every) {
        return Flux.range(0, count)
            .delayElements(every)
            .flatMap(i -> http.headers(headers -> headers.set("X-API-Key", key))
                .get()
                .uri("/v1/rooms/econ-" + client + "-" + i + "?providers=" + ProviderEmulators.TENCENT)
                .responseSingle((response, body) -> body.asByteArray()
                    .map(bytes -> new Answer(client, status(json.readTree(bytes))))), count);
    }

    private static String status(JsonNode body) {
        return body.path("providers").path(0).path("status").asString();
    }

    private static long ok(Map<String, Map<String, Long>> answers, String client) {
        return answers.getOrDefault(client, Map.of()).getOrDefault("ok", 0L);
    }

    /** Started lookups finish: each that spent its first call (room info) got its second (the member list). */
    private void startedLookupsFinishAndTheQuotaHeldAtTheProvider(String answers) {
        int started = emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO);
        int finished = emulators.tencent.calls(TencentEmulator.GET_MEMBER_LIST);
        assertThat(started).as(answers).isPositive();
        assertThat((double) finished / started).as("lookups that finished, of %d started: %s", started, answers)
            .isGreaterThanOrEqualTo(0.9);
        assertThat(emulators.tencent.maxCallsInAnyWindow(Duration.ofSeconds(1))).as(answers)
            .isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void twoGreedyClientsSplitTheQuotaByTheirShares() {
        // Each asks 40 lookups a second for 3 s, 4 times what the quota can pay for together.
        Flux<Answer> load = Flux.merge(offer("big", BIG, 120, Duration.ofMillis(25)),
                offer("small", SMALL, 120, Duration.ofMillis(25)));
        Map<String, Map<String, Long>> answers = collected(load);
        long big = ok(answers, "big");
        long small = ok(answers, "small");
        assertThat(big + small).as(answers.toString()).isGreaterThanOrEqualTo(20);
        assertThat((double) big / (big + small)).as("the bigger share's part of the complete answers: %s", answers)
            .isBetween(0.6, 0.9);
        startedLookupsFinishAndTheQuotaHeldAtTheProvider(answers.toString());
    }

    @Test
    void interactiveWorkIsServedBeforeBackgroundWork() {
        // A modest interactive client (5 lookups a second) beside a background one asking 40.
        Flux<Answer> load = Flux.merge(offer("modest", MODEST, 15, Duration.ofMillis(200)),
                offer("nightly", NIGHTLY, 120, Duration.ofMillis(25)));
        Map<String, Map<String, Long>> answers = collected(load);
        assertThat(ok(answers, "modest")).as("the interactive client's answers: %s", answers)
            .isGreaterThanOrEqualTo(14);
        assertThat(ok(answers, "nightly")).as("background work still gets what is left: %s", answers).isPositive();
        startedLookupsFinishAndTheQuotaHeldAtTheProvider(answers.toString());
    }

    private static Map<String, Map<String, Long>> collected(Flux<Answer> load) {
        return load.collect(Collectors.groupingBy(Answer::client,
                    Collectors.groupingBy(Answer::status, Collectors.counting())))
            .block(Duration.ofSeconds(120));
    }
}
