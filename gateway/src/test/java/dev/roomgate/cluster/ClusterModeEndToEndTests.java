package dev.roomgate.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetParticipant;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.TencentRoom;
import dev.roomgate.emulator.VideoSdkEmulator;
import dev.roomgate.emulator.WebhookSigner;
import dev.roomgate.support.Await;
import dev.roomgate.support.ClusterReplicas;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two whole Roomgate replicas in cluster mode, one real Redis, one set of provider emulators: the replicas share
 * each provider's quota and their fetches, and without Redis each keeps to its half.
 */
class ClusterModeEndToEndTests {

    static final RedisServerProcess redis = RedisServerProcess.start();

    static final ProviderEmulators emulators = ProviderEmulators.start();

    static final int ROOMS = 1000;

    static final Duration BUDGET = Duration.ofSeconds(2);

    /**
     * Every answer comes within the whole-request budget (3 s) plus scheduling: two replicas, the emulators and the
     * load generator share this JVM's two cores, so the margin is wide; a hang would exceed any.
     */
    static final Duration NO_HANG = Duration.ofSeconds(6);

    static final JsonMapper json = JsonMapper.builder().build();

    static ClusterReplicas replicas;

    /** A room only the watch test asks for. */
    static final String WATCHED = "cluster-watched";

    static ConnectionProvider connections;

    @BeforeAll
    static void start() {
        IntStream.range(0, ROOMS).forEach(i -> emulators.tencent.addRoom(new TencentRoom("load-" + i, "Load " + i,
                "owner-" + i, 1700000000L, 50, false, List.of("member-" + i))));
        String tencent = "--roomgate.providers." + ProviderEmulators.TENCENT;
        // These tests measure the shared quota and fetches: a breaker opened by a busy two-core box's timeouts
        // would turn the rest of the class into circuit_open answers.
        // Answers stay fresh far longer than a slow box takes between two requests: whether a replica reuses what
        // the other stored must not depend on how quickly the second request follows the first. Every test here
        // asks for rooms no other test asks for, so no test is served another's answer.
        replicas = ClusterReplicas.start(2, redis, emulators, tencent + ".timeout=" + BUDGET.toMillis() + "ms",
                tencent + ".circuit-breaker.window=1000", tencent + ".circuit-breaker.minimum-calls=1000",
                "--roomgate.cache.fresh-for=20s", "--roomgate.fleet.fresh-for=20s",
                // A watched room is read by its poll only once a minute here: a read sooner is a webhook's wake.
                "--roomgate.watch.poll-interval=60s", "--roomgate.watch.linger=0s",
                "--roomgate.providers." + ProviderEmulators.PLUGNMEET + ".webhook.enabled=true");
        connections = ConnectionProvider.builder("cluster").maxConnections(2 * ROOMS).pendingAcquireMaxCount(-1)
            .build();
        warmUp();
    }

    @AfterEach
    void reset() {
        emulators.reset();
    }

    @AfterAll
    static void stop() {
        connections.dispose();
        replicas.close();
        emulators.close();
        redis.close();
    }

    record Answer(int status, JsonNode body, Duration elapsed) {

        String status(int provider) {
            return body.path("providers").path(provider).path("status").asString();
        }
    }

    private static Mono<Answer> get(int replica, String path) {
        long started = System.nanoTime();
        return HttpClient.create(connections)
            .baseUrl("http://127.0.0.1:" + replicas.port(replica))
            .headers(headers -> headers.set("X-API-Key", ProviderEmulators.API_KEY))
            .get()
            .uri(path)
            .responseSingle((response, body) -> body.asByteArray()
                .map(bytes -> new Answer(response.status().code(), json.readTree(bytes),
                        Duration.ofNanos(System.nanoTime() - started))));
    }

    /** Distinct Tencent rooms offered evenly over two seconds, alternating between the replicas. */
    private static Mono<List<Answer>> distinctRooms(String prefix, int count) {
        return Flux.range(0, count)
            .delayElements(Duration.ofSeconds(2).dividedBy(count))
            .flatMap(i -> get(i % 2, "/v1/rooms/" + prefix + i + "?providers=" + ProviderEmulators.TENCENT), count)
            .collectList();
    }

    private static void pause(Duration duration) {
        StepVerifier.create(Mono.delay(duration)).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
    }

    /** JIT, pools and connections first, far below the quota: a cold JVM on two cores measures itself. */
    private static void warmUp() {
        Mono<Long> warm = Flux.range(0, 200)
            .delayElements(Duration.ofMillis(15))
            .flatMap(i -> get(i % 2, "/v1/rooms/warm-" + i + "?providers=" + ProviderEmulators.TENCENT))
            .count();
        StepVerifier.create(warm).expectNext(200L).expectComplete().verify(Duration.ofSeconds(60));
        quiet();
    }

    /**
     * The shared window empties of whatever an earlier test sent (the replicas were warmed up once, before all):
     * a test that counts arrivals then counts only its own.
     */
    private static void quiet() {
        pause(Duration.ofMillis(1500));
        emulators.reset();
    }

    private static int maxInAnySecond(String api) {
        return emulators.tencent.maxCallsInAnyWindow(api, Duration.ofSeconds(1));
    }

    private static String describe(List<Answer> answers) {
        return answers.stream()
            .collect(Collectors.groupingBy(a -> a.status() + " " + a.status(0) + " "
                    + a.body().path("providers").path(0).path("error").path("code").asString(), Collectors.counting()))
            .toString();
    }

    @Test
    void twoReplicasTogetherStayWithinOneQuotaInEverySlidingSecond() {
        quiet();

        StepVerifier.create(distinctRooms("load-", ROOMS)).assertNext(answers -> {
            Map<String, Long> byStatus = answers.stream()
                .collect(Collectors.groupingBy(answer -> answer.status(0), Collectors.counting()));
            // Far more is offered than the quota carries: many answers are rate_limited (a slow box adds timeouts).
            assertThat(byStatus.keySet()).as(describe(answers)).contains("ok", "rate_limited")
                .isSubsetOf("ok", "rate_limited", "timeout");
            assertThat(byStatus.get("ok")).as(describe(answers)).isGreaterThan(50L);
            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.status()).isIn(200, 502);
                assertThat(answer.elapsed()).isLessThan(NO_HANG);
            });
        }).expectComplete().verify(Duration.ofSeconds(90));

        assertThat(maxInAnySecond(TencentEmulator.GET_ROOM_INFO)).isLessThanOrEqualTo(200);
        assertThat(maxInAnySecond(TencentEmulator.GET_MEMBER_LIST)).isLessThanOrEqualTo(200);
        // The shared quota was spent, not refused wholesale: at least one whole window's worth of calls went out
        // (many rooms got a permit for their first call and none for their second, so ok rooms are fewer).
        assertThat(emulators.tencent.totalCalls()).isGreaterThanOrEqualTo(200);
        // Both replicas spent the shared quota: neither was starved by the other.
        for (int replica = 0; replica < 2; replica++) {
            assertThat(replicas.meter(replica, "roomgate.upstream.calls", Map.of("provider", ProviderEmulators.TENCENT)))
                .as("replica %d", replica).isGreaterThan(50);
            assertThat(replicas.meter(replica, "roomgate.cluster.fallback", Map.of())).isZero();
        }
    }

    @Test
    void twoHundredIdenticalRequestsSplitBetweenTheReplicasCostAtMostTwoCallsPerApi() {
        emulators.plugNmeet.delay(Duration.ofMillis(300));
        emulators.tencent.delay(Duration.ofMillis(300));
        emulators.videoSdk.delay(Duration.ofMillis(300));

        Mono<List<Answer>> herd = Flux.range(0, 200)
            .flatMap(i -> get(i % 2, "/v1/rooms/" + DemoRooms.TOWN_HALL + "?participants=false"), 200)
            .collectList();

        StepVerifier.create(herd).assertNext(answers -> {
            assertThat(answers).hasSize(200).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
            // A request that waits out its whole budget on a busy box may still answer partial; the point is cost.
            assertThat(answers.stream().filter(answer -> answer.body().path("complete").asBoolean()).count())
                .isGreaterThan(190L);
        }).expectComplete().verify(Duration.ofSeconds(30));
        assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isBetween(1, 2);
        assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO)).isBetween(1, 2);
        assertThat(emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS)).isBetween(1, 2);
        // One call per API per fetch: without participants no listing (with them, a page count per fetch).
        assertThat(emulators.totalCalls()).isBetween(3, 6);
    }

    @Test
    void anAnswerOneReplicaFetchedIsReusedByTheOtherWithItsAge() {
        StepVerifier.create(get(0, "/v1/rooms/" + DemoRooms.DEMO_STANDUP + "?participants=false"))
            .assertNext(answer -> assertThat(answer.body().path("providers").path(1).path("source").asString())
                .isEqualTo("upstream"))
            .expectComplete().verify(Duration.ofSeconds(10));
        int calls = emulators.totalCalls();
        // The first replica shares its answer once it has answered; the write lands or gives up within the Redis
        // timeout (250 ms here), so after twice that the second replica finds it, however loaded the box.
        pause(Duration.ofMillis(500));

        StepVerifier.create(get(1, "/v1/rooms/" + DemoRooms.DEMO_STANDUP + "?participants=false"))
            .assertNext(answer -> {
                JsonNode tencent = answer.body().path("providers").path(1);
                assertThat(tencent.path("status").asString()).isEqualTo("ok");
                assertThat(tencent.path("source").asString()).isEqualTo("cache");
                assertThat(tencent.path("ageMs").isNumber()).isTrue();
                assertThat(answer.body().path("rooms").findValuesAsString("roomId")).containsOnly(DemoRooms.DEMO_STANDUP)
                    .hasSize(3);
            })
            .expectComplete().verify(Duration.ofSeconds(10));
        assertThat(emulators.totalCalls()).as("the second replica asked no provider").isEqualTo(calls);
    }

    @Test
    void aWebhookOneReplicaTookWakesTheWatchLoopOfTheOther() {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.Disposable watching = WebClient.create("http://localhost:" + replicas.port(1)).get()
            .uri("/v1/rooms/" + DemoRooms.DEMO_STANDUP + "/events?providers=" + ProviderEmulators.PLUGNMEET)
            .header("X-API-Key", ProviderEmulators.API_KEY)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve().bodyToFlux(String.class).subscribe(events::add);
        try {
            Await.until("the snapshot on the second replica", () -> !events.isEmpty(), Await.GENEROUSLY);
            Map<String, String> woken = Map.of("trigger", "wake");
            double before = replicas.meter(1, "roomgate.watch.reads", woken);
            String body = "{\"event\":\"participant_joined\",\"room\":{\"room_id\":\"" + DemoRooms.DEMO_STANDUP
                    + "\"},\"id\":\"EV_cluster\"}";
            WebhookSigner.SignedWebhook webhook = WebhookSigner.plugNmeet(DemoRooms.PLUGNMEET_API_KEY,
                    DemoRooms.PLUGNMEET_API_SECRET, body, java.time.Instant.now());
            int status = WebClient.create("http://localhost:" + replicas.port(0)).post()
                .uri("/webhooks/" + ProviderEmulators.PLUGNMEET)
                .headers(headers -> webhook.headers().forEach(headers::set))
                .bodyValue(webhook.body())
                .exchangeToMono(answer -> Mono.just(answer.statusCode().value()))
                .block(Duration.ofSeconds(10));
            assertThat(status).isEqualTo(204);
            Await.until("the second replica's loop reads the room at once",
                    () -> replicas.meter(1, "roomgate.watch.reads", woken) > before, Await.GENEROUSLY);
        }
        finally {
            watching.dispose();
        }
    }

    private static PlugNmeetRoom watchedRoom(String... identities) {
        long now = java.time.Instant.now().getEpochSecond();
        List<PlugNmeetParticipant> people = java.util.Arrays.stream(identities)
            .map(id -> new PlugNmeetParticipant("PA_" + id, id, id, "ACTIVE", now * 1000,
                    PlugNmeetParticipant.userMetadata(false)))
            .toList();
        return new PlugNmeetRoom(WATCHED, "Watched", "RM_watched", true, false, false, now,
                PlugNmeetRoom.roomMetadata("Watched", false, false, now), people);
    }

    private static reactor.core.Disposable watch(int replica, List<String> into) {
        return WebClient.create("http://localhost:" + replicas.port(replica)).get()
            .uri("/v1/rooms/" + WATCHED + "/events?providers=" + ProviderEmulators.PLUGNMEET)
            .header("X-API-Key", ProviderEmulators.API_KEY)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve().bodyToFlux(String.class).subscribe(into::add);
    }

    private static int webhook(int replica, String id) {
        String body = "{\"event\":\"participant_joined\",\"room\":{\"room_id\":\"" + WATCHED + "\"},\"id\":\""
                + id + "\"}";
        WebhookSigner.SignedWebhook signed = WebhookSigner.plugNmeet(DemoRooms.PLUGNMEET_API_KEY,
                DemoRooms.PLUGNMEET_API_SECRET, body, java.time.Instant.now());
        return WebClient.create("http://localhost:" + replicas.port(replica)).post()
            .uri("/webhooks/" + ProviderEmulators.PLUGNMEET)
            .headers(headers -> signed.headers().forEach(headers::set))
            .bodyValue(signed.body())
            .exchangeToMono(answer -> Mono.just(answer.statusCode().value()))
            .block(Duration.ofSeconds(10));
    }

    @Test
    void watchersOnBothReplicasGetTheirEventsFromOneLoopThatMovesWhenItsHolderLeaves() {
        emulators.plugNmeet.addRoom(watchedRoom("ann"));
        List<String> first = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> second = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.Disposable onFirst = watch(0, first);
        reactor.core.Disposable onSecond = null;
        try {
            Await.until("the first replica's snapshot", () -> !first.isEmpty(), Await.GENEROUSLY);
            onSecond = watch(1, second);
            Await.until("the second replica's snapshot", () -> !second.isEmpty(), Await.GENEROUSLY);
            // The second replica's loop took the document the first one read and kept.
            assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(1);

            emulators.plugNmeet.addRoom(watchedRoom("ann", "ben"));
            assertThat(webhook(1, "EV_ben")).isEqualTo(204);
            Await.until("both replicas' watchers see ben join", () -> String.join("", first).contains("\"id\":\"ben\"")
                    && String.join("", second).contains("\"id\":\"ben\""), Await.GENEROUSLY);
            // Woken on both replicas, the room was read by the one that holds its loop.
            assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(2);

            // The holder's last watcher leaves: its loop gives the lease up, and the other replica's takes it.
            onFirst.dispose();
            Await.until("the first replica's loop stops",
                    () -> replicas.meter(0, "roomgate.watch.loops", Map.of()) == 0.0, Await.GENEROUSLY);
            emulators.plugNmeet.addRoom(watchedRoom("ann", "ben", "cem"));
            assertThat(webhook(1, "EV_cem")).isEqualTo(204);
            Await.until("the second replica reads the room itself now",
                    () -> String.join("", second).contains("\"id\":\"cem\""), Await.GENEROUSLY);
            assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(3);
        }
        finally {
            onFirst.dispose();
            if (onSecond != null) {
                onSecond.dispose();
            }
            emulators.plugNmeet.removeRoom(WATCHED);
        }
    }

    @Test
    void aListingOneReplicaReadIsReusedByTheOtherWithItsAge() {
        // VideoSDK's listing only: a plugNmeet listing also fills the reading replica's own room cache, which the
        // room tests here must not find filled.
        String fleet = "/v1/rooms?providers=" + ProviderEmulators.VIDEOSDK;
        StepVerifier.create(get(0, fleet))
            .assertNext(answer -> assertThat(answer.body().path("providers").path(0).path("source").asString())
                .isEqualTo("upstream"))
            .expectComplete().verify(Duration.ofSeconds(10));
        int sessionCalls = emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS);
        assertThat(sessionCalls).isEqualTo(1);
        // As for answers: the first replica's write lands or gives up within the Redis timeout (250 ms here).
        pause(Duration.ofMillis(500));

        StepVerifier.create(get(1, fleet))
            .assertNext(answer -> {
                assertThat(answer.status()).isEqualTo(200);
                JsonNode videoSdk = answer.body().path("providers").path(0);
                assertThat(videoSdk.path("status").asString()).isEqualTo("ok");
                assertThat(videoSdk.path("source").asString()).isEqualTo("cache");
                assertThat(videoSdk.path("ageMs").isNumber()).isTrue();
                assertThat(answer.body().path("rooms").findValuesAsString("roomId"))
                    .contains(DemoRooms.DEMO_STANDUP, DemoRooms.TOWN_HALL);
            })
            .expectComplete().verify(Duration.ofSeconds(10));
        assertThat(emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS)).as("the second replica listed nothing")
            .isEqualTo(sessionCalls);
    }

    @Test
    void theClusterMetricsTheAlertsQueryAreOnAReplicasScrape() throws Exception {
        String alerts = Files.readString(Path.of("..", "k8s", "monitoring", "alerts.yml"));
        Matcher names = Pattern.compile("\\broomgate_cluster_[a-z0-9_]+").matcher(alerts);
        List<String> referenced = names.results().map(MatchResult::group).toList();
        assertThat(referenced).isNotEmpty();

        Mono<String> scrape = HttpClient.create()
            .get()
            .uri("http://127.0.0.1:" + replicas.managementPort(0) + "/actuator/prometheus")
            .responseSingle((response, body) -> body.asString());
        StepVerifier.create(scrape)
            .assertNext(metrics -> referenced.forEach(name -> assertThat(metrics).as(name).contains(name)))
            .expectComplete()
            .verify(Duration.ofSeconds(10));
    }

    @Test
    void withoutRedisEachReplicaKeepsToItsShareAndKeepsAnswering() {
        quiet();
        redis.down();
        try {
            StepVerifier.create(distinctRooms("outage-", 600)).assertNext(answers -> {
                assertThat(answers).allSatisfy(answer -> {
                    assertThat(answer.status()).as(describe(answers)).isIn(200, 404, 502);
                    assertThat(answer.status(0)).as(describe(answers))
                        .isIn("ok", "not_found", "rate_limited", "timeout");
                    assertThat(answer.elapsed()).isLessThan(NO_HANG);
                });
            }).expectComplete().verify(Duration.ofSeconds(60));
            // Each replica keeps to half of the quota: together, never more than all of it.
            assertThat(maxInAnySecond(TencentEmulator.GET_ROOM_INFO)).isLessThanOrEqualTo(200);
            assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO)).isGreaterThan(50);
            for (int replica = 0; replica < 2; replica++) {
                assertThat(replicas.meter(replica, "roomgate.cluster.fallback", Map.of())).isEqualTo(1.0);
            }
        }
        finally {
            redis.up();
        }
        // Back to sharing once Redis answers again.
        Mono<Double> recovered = Mono.defer(() -> get(0, "/v1/rooms/recovered?providers=" + ProviderEmulators.TENCENT)
                .then(get(1, "/v1/rooms/recovered-too?providers=" + ProviderEmulators.TENCENT))
                .map(answer -> replicas.meter(0, "roomgate.cluster.fallback", Map.of())
                        + replicas.meter(1, "roomgate.cluster.fallback", Map.of())))
            .filter(fallbacks -> fallbacks == 0)
            .repeatWhenEmpty(tries -> tries.delayElements(Duration.ofMillis(200)).take(50));
        StepVerifier.create(recovered).expectNext(0.0).expectComplete().verify(Duration.ofSeconds(30));
    }
}
