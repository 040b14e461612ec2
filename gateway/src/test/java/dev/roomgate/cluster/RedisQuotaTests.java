package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.roomgate.emulator.ProviderEmulator;
import dev.roomgate.resilience.SharedQuota.Grant;
import dev.roomgate.support.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas' quotas for one instance, against a real Redis server: together they never let more calls start in
 * any sliding second than the instance allows; without Redis each keeps to its share and recovers when it returns.
 */
class RedisQuotaTests {

    static final RedisServerProcess redis = RedisServerProcess.start();

    static final int LIMIT = 50;

    static final Duration RETRY_REDIS_AFTER = Duration.ofMillis(200);

    RedisConnections connections;

    List<Disposable> probes;

    SimpleMeterRegistry meters;

    RedisLink linkA;

    RedisLink linkB;

    RedisQuota replicaA;

    RedisQuota replicaB;

    @BeforeEach
    void replicas() {
        connections = new RedisConnections(redis.port());
        meters = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        linkA = new RedisLink(RETRY_REDIS_AFTER, 2, meters, System::nanoTime);
        linkB = new RedisLink(RETRY_REDIS_AFTER, 2, metersB, System::nanoTime);
        // One connection, but each replica's calls report to its own link, as in two processes.
        RedisScripts scriptsA = new RedisScripts(connections.template, linkA, Duration.ofMillis(200), "roomgate-test",
                meters);
        RedisScripts scriptsB = new RedisScripts(connections.template, linkB, Duration.ofMillis(200), "roomgate-test",
                metersB);
        RedisQuota.Settings settings = new RedisQuota.Settings(LIMIT, 2, Duration.ofMillis(250), 5);
        String key = scriptsA.key("quota", "tencent-" + System.nanoTime(), "");
        replicaA = new RedisQuota(scriptsA, linkA, settings, key, "replica-a", System::nanoTime);
        replicaB = new RedisQuota(scriptsB, linkB, settings, key, "replica-b", System::nanoTime);
        StepVerifier.create(scriptsA.warmUp()).expectComplete().verify(Duration.ofSeconds(10));
        probes = List.of(linkA.probe(scriptsA::ping), linkB.probe(scriptsB::ping));
    }

    @AfterEach
    void close() {
        probes.forEach(Disposable::dispose);
        connections.close();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    /** Start times of the calls one replica's quota granted, offered far above the limit for a while. */
    private static Flux<Long> granted(RedisQuota quota, int offers, Duration spacing) {
        return Flux.range(0, offers)
            .delayElements(spacing)
            .flatMap(i -> quota.acquire(Duration.ofMillis(300)))
            .filter(grant -> grant.kind() == Grant.Kind.GRANTED)
            .map(grant -> System.nanoTime());
    }

    @Test
    void twoReplicasTogetherNeverExceedTheLimitInAnySlidingSecond() {
        // Each replica alone is offered 4 times the limit, for 3 seconds.
        Mono<List<Long>> both = Flux.merge(granted(replicaA, 600, Duration.ofMillis(5)).map(t -> t),
                granted(replicaB, 600, Duration.ofMillis(5)).map(t -> -t))
            .collectList();

        StepVerifier.create(both).assertNext(starts -> {
            List<Long> all = starts.stream().map(Math::abs).toList();
            long fromA = starts.stream().filter(t -> t > 0).count();
            assertThat(ProviderEmulator.maxInAnyWindow(all, Duration.ofSeconds(1))).isLessThanOrEqualTo(LIMIT);
            // The window is shared, not split: both replicas got permits, and the pair used most of what it allowed.
            assertThat(fromA).isBetween(20L, (long) all.size() - 20);
            assertThat(all.size()).isGreaterThanOrEqualTo(2 * LIMIT);
        }).expectComplete().verify(Duration.ofSeconds(30));
        assertThat(linkA.usable()).isTrue();
    }

    @Test
    void aFlushedScriptIsSentAgainWithoutFallingBack() {
        StepVerifier.create(replicaA.acquire(Duration.ofMillis(300)))
            .expectNext(Grant.GRANTED).expectComplete().verify(Duration.ofSeconds(5));
        StepVerifier.create(connections.template.execute(connection -> connection.scriptingCommands().scriptFlush()))
            .expectNext("OK").expectComplete().verify(Duration.ofSeconds(5));
        // A new replica has no leased permits left over, so it must run the script.
        StepVerifier.create(replicaB.acquire(Duration.ofMillis(300)))
            .expectNext(Grant.GRANTED).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(linkB.usable()).isTrue();
    }

    @Test
    void withoutRedisEachReplicaKeepsToItsShareAndRecoversWhenRedisReturns() {
        redis.down();
        try {
            Mono<Map<Grant.Kind, Long>> outage = Flux.range(0, 20)
                .flatMap(i -> replicaA.acquire(Duration.ofMillis(300)))
                .collect(Collectors.groupingBy(Grant::kind, Collectors.counting()));
            StepVerifier.create(outage)
                .assertNext(kinds -> assertThat(kinds).containsOnlyKeys(Grant.Kind.LOCAL_SHARE))
                .expectComplete()
                .verify(Duration.ofSeconds(2));
            assertThat(linkA.usable()).isFalse();
            assertThat(replicaA.share().limit()).isEqualTo(LIMIT / 2);
            assertThat(meters.get("roomgate.cluster.fallback").gauge().value()).isEqualTo(1.0);
            // One failure sets Redis aside for a while: the other 19 callers did not each try it.
            assertThat(meters.get("roomgate.cluster.redis.errors").tag("operation", "quota").counter().count())
                .isLessThanOrEqualTo(2.0);
        }
        finally {
            redis.up();
        }
        // No request needs to come: the probe finds Redis back.
        Mono<Boolean> probedBack = Mono.fromSupplier(() -> !linkA.usable())
            .filter(fallback -> !fallback)
            .repeatWhenEmpty(tries -> tries.delayElements(Duration.ofMillis(100)).take(100));
        StepVerifier.create(probedBack).expectNext(false).expectComplete().verify(Duration.ofSeconds(15));
        StepVerifier.create(replicaA.acquire(Duration.ofMillis(300))).expectNext(Grant.GRANTED).expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(meters.get("roomgate.cluster.fallback").gauge().value()).isZero();
    }

    @Test
    void aHungRedisCostsACallNoMoreThanTheRedisTimeout() {
        redis.hang();
        try {
            long started = System.nanoTime();
            StepVerifier.create(replicaA.acquire(Duration.ofMillis(300)))
                .expectNextMatches(grant -> grant.kind() == Grant.Kind.LOCAL_SHARE)
                .expectComplete()
                .verify(Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(700));
        }
        finally {
            redis.unhang();
            redis.up();
        }
    }

    @Test
    void aLeaseRoundTripThatNeverSettlesHoldsNoCallerPastItsBound() {
        // A Redis call whose timeouts never fire (ten minutes, on a clock the test moves), queued by Lettuce while it
        // reconnects to a Redis that accepts connections and never answers: only the bound ends it.
        AtomicLong clock = new AtomicLong(System.nanoTime());
        SimpleMeterRegistry stuckMeters = new SimpleMeterRegistry();
        RedisLink link = new RedisLink(RETRY_REDIS_AFTER, 2, stuckMeters, clock::get);
        Duration never = Duration.ofMinutes(10);
        try (RedisConnections stuck = new RedisConnections(redis.port(), never,
                ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)) {
            RedisScripts scripts = new RedisScripts(stuck.template, link, never, "roomgate-test", stuckMeters);
            StepVerifier.create(scripts.warmUp()).expectComplete().verify(Duration.ofSeconds(10));
            RedisQuota quota = new RedisQuota(scripts, link, new RedisQuota.Settings(LIMIT, 2, Duration.ofMillis(250),
                    5), scripts.key("quota", "stuck-" + System.nanoTime(), ""), "replica-c", clock::get);
            redis.hang();
            try {
                CompletableFuture<Grant> waiting = quota.acquire(Duration.ofHours(2)).toFuture();
                assertThat(waiting).isNotDone();

                clock.addAndGet(never.multipliedBy(RedisQuota.OVERDUE_AFTER_TIMEOUTS).plusSeconds(1).toNanos());

                // Silent for longer than retryRedisAfter: the next caller abandons the round trip and sets Redis
                // aside, and both callers keep to the local share.
                StepVerifier.create(quota.acquire(Duration.ofHours(2)))
                    .expectNextMatches(grant -> grant.kind() == Grant.Kind.LOCAL_SHARE)
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
                assertThat(waiting).succeedsWithin(Duration.ofSeconds(5))
                    .matches(grant -> grant.kind() == Grant.Kind.LOCAL_SHARE);
                assertThat(link.usable()).isFalse();
                assertThat(stuckMeters.get("roomgate.cluster.redis.errors").tag("operation", "quota_overdue")
                    .counter().count()).isEqualTo(1.0);
            }
            finally {
                redis.unhang();
                redis.up();
            }
        }
    }
}
