package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.config.Priority;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.resilience.InstanceGuard;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.resilience.PermitQueue;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.support.Await;
import dev.roomgate.support.ClientHarness;
import dev.roomgate.support.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas' allotments of one shared instance quota, against a real Redis server: the split quota-share.lua makes
 * of their demand (weighted, interactive work first, unwanted quota split evenly, a silent replica's part given
 * back), and the allotment a replica's own quota then keeps to.
 */
class QuotaAllotmentsTests {

    static final RedisServerProcess redis = RedisServerProcess.start();

    static final int LIMIT = 200;

    static final String LIFETIME = Long.toString(Duration.ofSeconds(30).toNanos() / 1000);

    RedisConnections connections;

    RedisScripts scripts;

    String key;

    @BeforeEach
    void connect() {
        connections = new RedisConnections(redis.port());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisLink link = new RedisLink(Duration.ofSeconds(1), 2, meters, System::nanoTime);
        scripts = new RedisScripts(connections.template, link, Duration.ofSeconds(1), "roomgate-test", meters);
        key = scripts.key("quota-share", "tencent-" + System.nanoTime(), "");
    }

    @AfterEach
    void close() {
        connections.close();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    /** Reports a replica's demand (calls per second and weights, interactive then background); its allotment. */
    private List<Object> report(String replica, int interactive, int background, int interactiveWeight,
            int backgroundWeight, String lifetime) {
        return scripts.run("quota", RedisScripts.QUOTA_SHARE, List.of(key), Integer.toString(LIMIT), replica,
                Integer.toString(interactive), Integer.toString(background), Integer.toString(interactiveWeight),
                Integer.toString(backgroundWeight), lifetime)
            .block(Duration.ofSeconds(5));
    }

    private long allotment(String replica, int interactive, int background, int interactiveWeight,
            int backgroundWeight) {
        return (Long) report(replica, interactive, background, interactiveWeight, backgroundWeight, LIFETIME).get(0);
    }

    @Test
    void twoReplicasWantingMoreThanTheLimitSplitItByTheirClientsWeights() {
        allotment("a", 300, 0, 1, 0);
        assertThat(allotment("b", 300, 0, 1, 0)).isEqualTo(100);
        assertThat(allotment("a", 300, 0, 1, 0)).isEqualTo(100);
        assertThat(allotment("a", 300, 0, 3, 0)).as("clients of share 3 behind a, of share 1 behind b")
            .isEqualTo(150);
        assertThat(allotment("b", 300, 0, 1, 0)).isEqualTo(50);
    }

    @Test
    void aReplicaThatWantsLessThanItsPartGetsWhatItWantsAndTheOtherTheRest() {
        allotment("a", 30, 0, 1, 0);
        assertThat(allotment("b", 300, 0, 1, 0)).isEqualTo(170);
        assertThat(allotment("a", 30, 0, 1, 0)).isEqualTo(30);
    }

    @Test
    void interactiveWorkIsAllottedBeforeBackgroundWork() {
        allotment("a", 150, 0, 1, 0);
        assertThat(allotment("b", 0, 300, 0, 1)).isEqualTo(50);
        assertThat(allotment("a", 150, 0, 1, 0)).isEqualTo(150);
        assertThat(allotment("a", 250, 0, 1, 0)).as("interactive work alone can take it all").isEqualTo(200);
        assertThat(allotment("b", 0, 300, 0, 1)).isZero();
    }

    @Test
    void whatNobodyWantsIsSplitEvenlySoThatARisingDemandHasRoomAtOnce() {
        allotment("a", 20, 0, 1, 0);
        assertThat(allotment("b", 30, 0, 1, 0)).isEqualTo(30 + 75);
        assertThat(allotment("a", 20, 0, 1, 0)).isEqualTo(20 + 75);
        assertThat(allotment("c", 0, 0, 0, 0)).as("an idle third replica").isEqualTo(50);
    }

    @Test
    void aReplicaThatStopsReportingGivesItsPartBack() {
        report("a", 300, 0, 1, 0, "200000");
        assertThat(allotment("b", 300, 0, 1, 0)).isEqualTo(100);
        Await.until("a's demand has lapsed", () -> allotment("b", 300, 0, 1, 0) == LIMIT);
    }

    @Test
    void entriesTheScriptNeverWritesAreRemovedAndSaidSo() {
        connections.template.opsForHash().put(key, "intruder", "lots").block(Duration.ofSeconds(5));
        List<Object> reply = report("a", 300, 0, 1, 0, LIFETIME);
        assertThat(reply.get(0)).isEqualTo((long) LIMIT);
        assertThat(reply.get(1)).as("live replicas").isEqualTo(1L);
        assertThat(reply).hasSize(3).last().isEqualTo("table");
        assertThat(connections.template.opsForHash().hasKey(key, "intruder").block(Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void replicasOwnQuotasFollowTheirAllotments() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisLink link = new RedisLink(Duration.ofSeconds(1), 2, meters, System::nanoTime);
        ProviderInstance instance = ClientHarness.instance("tencent-" + System.nanoTime(), ProviderType.TENCENT,
                "http://127.0.0.1:1", 1, null);
        InstanceGuards busyReplica = replica(instance, link, "busy", meters);
        InstanceGuards quietReplica = replica(instance, link, "quiet", new SimpleMeterRegistry());
        InstanceGuard busy = busyReplica.of(instance);
        InstanceGuard quiet = quietReplica.of(instance);
        List<Disposable> running = List.of(
                new QuotaAllotments(List.of(instance), busyReplica, scripts, link, "busy", meters).start(),
                new QuotaAllotments(List.of(instance), quietReplica, scripts, link, "quiet",
                        new SimpleMeterRegistry()).start(),
                asking(busy.permits(), Duration.ofMillis(2)), asking(quiet.permits(), Duration.ofMillis(25)));
        try {
            // About 500 calls a second asked of one, 40 of the other: the quiet one keeps what it asks for and
            // an even part of what nobody wants, the busy one gets the rest.
            Await.until("allotments follow demand", () -> busy.quota().allotted() > quiet.quota().allotted()
                    && quiet.quota().allotted() >= 30 && quiet.quota().allotted() < LIMIT / 2
                    && busy.quota().allotted() + quiet.quota().allotted() <= LIMIT);
        }
        finally {
            running.forEach(Disposable::dispose);
        }
        assertThat(meters.find("roomgate.cluster.quota.allotment").tag("provider", instance.name()).gauges())
            .isNotEmpty();
    }

    private InstanceGuards replica(ProviderInstance instance, RedisLink link, String holder,
            SimpleMeterRegistry meters) {
        RedisQuota.Settings settings = new RedisQuota.Settings(LIMIT, 2, Duration.ofMillis(100), 10);
        String quotaKey = scripts.key("quota", instance.name(), "");
        return new InstanceGuards(List.of(instance),
                any -> new RedisQuota(scripts, link, settings, quotaKey, holder, System::nanoTime), meters,
                System::nanoTime);
    }

    /** Callers asking for permits every {@code every}, each leaving at once if it would have to wait. */
    private static Disposable asking(PermitQueue permits, Duration every) {
        QuotaClaim claim = new QuotaClaim("key:load", "load", 1, Priority.INTERACTIVE);
        return Flux.interval(every, Schedulers.parallel())
            .flatMap(tick -> permits.acquire(claim, PermitQueue.Lane.INTERACTIVE, () -> Duration.ZERO)
                .onErrorResume(PermitQueue.Refused.class, refused -> Mono.empty()))
            .subscribe();
    }
}
