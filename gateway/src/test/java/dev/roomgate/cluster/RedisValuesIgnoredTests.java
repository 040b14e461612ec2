package dev.roomgate.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceAnswer;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.RoomgateProperties.CacheProperties;
import dev.roomgate.config.Secret;
import dev.roomgate.resilience.ClientRateLimiter;
import dev.roomgate.resilience.SharedQuota.Grant;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.Source;
import dev.roomgate.support.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value read from Redis is trusted only if it parses and its own timestamps say it is valid now; anything else
 * (something another program wrote, a key whose expiry was lost, a foreign type) is ignored as if absent and
 * counted, against a real Redis server, and never sets Redis aside.
 */
class RedisValuesIgnoredTests {

    static final RedisServerProcess redis = RedisServerProcess.start();

    static final Duration WAIT = Duration.ofSeconds(10);

    static final CacheProperties CACHE = new CacheProperties(true, Duration.ofMillis(1500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(30), 10_000);

    RedisConnections connections;

    SimpleMeterRegistry meters;

    RedisLink link;

    RedisScripts scripts;

    final AtomicInteger providerCalls = new AtomicInteger();

    ProviderClient client;

    String room;

    @BeforeEach
    void connect() {
        connections = new RedisConnections(redis.port());
        meters = new SimpleMeterRegistry();
        link = new RedisLink(Duration.ofSeconds(1), 2, meters, System::nanoTime);
        scripts = new RedisScripts(connections.template, link, Duration.ofSeconds(1), "roomgate-test", meters);
        StepVerifier.create(scripts.warmUp()).expectComplete().verify(WAIT);
        room = "r" + System.nanoTime();
        ProviderInstance instance = new ProviderInstance("plugnmeet-test", ProviderType.PLUGNMEET,
                URI.create("http://x"), true, Duration.ofSeconds(2), 200, 1000, ProviderInstance.RetryPolicy.defaults(1),
                ProviderInstance.BreakerPolicy.defaults(), 100,
                new ProviderCredentials.PlugNmeet("k", Secret.of("s")));
        client = new ProviderClient() {
            @Override
            public ProviderInstance instance() {
                return instance;
            }

            @Override
            public Mono<dev.roomgate.aggregate.RoomListing> listRooms(CallBudget budget,
                    dev.roomgate.aggregate.ListingProgress progress) {
                return Mono.error(new UnsupportedOperationException("this stub answers room lookups only"));
            }

            @Override
            public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
                providerCalls.incrementAndGet();
                return Mono.just(new Outcome.Found(new Room("plugnmeet-test", ProviderType.PLUGNMEET,
                        query.roomId(), null, "Room", true, null, null, null, 0, null, null, null, null, null, Map.of())));
            }
        };
    }

    @AfterEach
    void close() {
        connections.close();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private ClusterRoomFetcher replica(String name) {
        return new ClusterRoomFetcher(scripts, link, CACHE, Duration.ofSeconds(1), name, Ticker.system());
    }

    private String answerKey() {
        return scripts.key("room", "plugnmeet-test:" + room + ":n", ":answer");
    }

    private String leaseKey() {
        return scripts.key("room", "plugnmeet-test:" + room + ":n", ":lease");
    }

    private InstanceAnswer fetch(ClusterRoomFetcher replica) {
        return replica.fetch(client, new RoomQuery(room, false), false,
                CallBudget.start(Ticker.system(), client.instance().timeout())).block(WAIT);
    }

    /** Another replica fetched it: reused here, with its age there. */
    private static boolean fromAnotherReplica(InstanceAnswer answer) {
        return answer.source() == Source.CACHE;
    }

    /** The Redis server's clock in µs: the only clock the stored timestamps are read against. */
    private long redisMicros() {
        List<String> time = connections.template.execute(connection -> connection.serverCommands().time())
            .map(now -> List.of(Long.toString(now * 1000)))
            .blockFirst(WAIT);
        return Long.parseLong(time.get(0));
    }

    private void storeRaw(String at, String until, String body, boolean persist) {
        connections.template.delete(answerKey()).block(WAIT);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        if (at != null) {
            fields.put("at", at);
        }
        if (until != null) {
            fields.put("until", until);
        }
        fields.put("body", body);
        connections.template.opsForHash().putAll(answerKey(), fields).block(WAIT);
        if (!persist) {
            connections.template.expire(answerKey(), Duration.ofSeconds(60)).block(WAIT);
        }
    }

    private double ignored(String what) {
        Counter counter = meters.find("roomgate.cluster.redis.ignored").tag("value", what).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A shared answer stored by one replica, for a first fetch by another to use. */
    private String validBody() {
        InstanceAnswer first = fetch(replica("writer"));
        assertThat(fromAnotherReplica(first)).isFalse();
        return (String) connections.template.opsForHash().get(answerKey(), "body").block(WAIT);
    }

    /** The value is ignored: the replica fetches itself, counts it, and Redis stays in use. */
    private void assertIgnoredAndFetched(String what) {
        int before = providerCalls.get();
        InstanceAnswer fetch = fetch(replica("reader"));
        assertThat(fromAnotherReplica(fetch)).as("a " + what + " that is not to be trusted is not used").isFalse();
        assertThat(fetch.outcome().room()).isNotNull();
        assertThat(providerCalls.get()).isEqualTo(before + 1);
        assertThat(ignored(what)).isEqualTo(1.0);
        assertThat(inFallback()).as("an odd value is not an outage").isFalse();
        // The fetch stored a good answer in its place, which the next replica uses.
        InstanceAnswer next = fetch(replica("after"));
        assertThat(fromAnotherReplica(next)).isTrue();
        assertThat(providerCalls.get()).isEqualTo(before + 1);
    }

    @Test
    void aValidSharedAnswerIsUsed() {
        validBody();
        int before = providerCalls.get();
        InstanceAnswer fetch = fetch(replica("reader"));
        assertThat(fromAnotherReplica(fetch)).isTrue();
        assertThat(fetch.age()).isLessThanOrEqualTo(CACHE.freshFor());
        assertThat(providerCalls.get()).isEqualTo(before);
        assertThat(ignored("shared_answer")).isZero();
    }

    @Test
    void aSharedAnswerWhoseTimestampsDoNotParseIsIgnored() {
        String body = validBody();
        storeRaw("garbage", "also-garbage", body, false);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aSharedAnswerWithoutItsValidityIsIgnored() {
        String body = validBody();
        storeRaw(Long.toString(redisMicros()), null, body, false);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aSharedAnswerWhoseBodyIsGarbageIsIgnored() {
        long now = redisMicros();
        storeRaw(Long.toString(now), Long.toString(now + 60_000_000L), "{not json", false);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void anEmptyObjectIsNotReadAsNotFound() {
        long now = redisMicros();
        storeRaw(Long.toString(now), Long.toString(now + 60_000_000L), "{}", false);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aSharedAnswerPastItsOwnValidityIsIgnoredEvenWhenItsExpiryWasLost() {
        String body = validBody();
        long now = redisMicros();
        storeRaw(Long.toString(now - 10_000_000L), Long.toString(now - 5_000_000L), body, true);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aSharedAnswerStoredInTheFutureIsIgnored() {
        String body = validBody();
        long now = redisMicros();
        storeRaw(Long.toString(now + 60_000_000L), Long.toString(now + 120_000_000L), body, false);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aSharedAnswerOlderThanAnAnswerOfItsKindMayBeIsIgnored() {
        // Valid by its own `until`, but 5 s old: a found room is reused for fresh-for (1.5 s) at most.
        String body = validBody();
        long now = redisMicros();
        storeRaw(Long.toString(now - 5_000_000L), Long.toString(now + 60_000_000L), body, false);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aSharedAnswerKeyOfAnotherTypeIsIgnoredAndReplaced() {
        connections.template.opsForValue().set(answerKey(), "garbage").block(WAIT);
        assertIgnoredAndFetched("shared_answer");
    }

    @Test
    void aLeaseThatNeverExpiresIsTakenOver() {
        connections.template.opsForValue().set(leaseKey(), "a-replica-long-gone").block(WAIT);
        List<Object> reply = scripts.run("coalesce", RedisScripts.ROOM_CLAIM, List.of(answerKey(), leaseKey()),
                "claim-1", "1000").block(WAIT);
        assertThat(reply).containsExactly("lead", "lease");
        Long left = connections.template.getExpire(leaseKey()).map(Duration::toMillis).block(WAIT);
        assertThat(left).as("the lease taken over ends").isPositive().isLessThanOrEqualTo(1000L);
        assertThat(connections.template.opsForValue().get(leaseKey()).block(WAIT)).isEqualTo("claim-1");
        // And a lease longer than any lease is not waited for either.
        connections.template.opsForValue().set(leaseKey(), "another", Duration.ofHours(1)).block(WAIT);
        int before = providerCalls.get();
        InstanceAnswer fetch = fetch(replica("reader"));
        assertThat(fromAnotherReplica(fetch)).isFalse();
        assertThat(providerCalls.get()).isEqualTo(before + 1);
        assertThat(ignored("room_lease")).isEqualTo(1.0);
        assertThat(inFallback()).isFalse();
    }

    // The quota's sliding log.

    private static final int LIMIT = 5;

    private RedisQuota quota(String key) {
        return new RedisQuota(scripts, link, new RedisQuota.Settings(LIMIT, 2, Duration.ofMillis(250), 5), key,
                "replica-q", System::nanoTime);
    }

    private String quotaKey() {
        return scripts.key("quota", "q-" + room, "");
    }

    private void assertGrantedByRedis(RedisQuota quota) {
        StepVerifier.create(quota.acquire(Duration.ofMillis(300))).expectNext(Grant.GRANTED).expectComplete()
            .verify(WAIT);
        assertThat(inFallback()).isFalse();
    }

    @Test
    void aQuotaLogOfAnotherTypeIsIgnoredAndReplaced() {
        connections.template.opsForValue().set(quotaKey(), "garbage").block(WAIT);
        assertGrantedByRedis(quota(quotaKey()));
        assertThat(ignored("quota_log")).isEqualTo(1.0);
        assertThat(connections.template.type(quotaKey()).block(WAIT).code()).isEqualTo("zset");
    }

    @Test
    void quotaEntriesStampedFarInTheFutureDoNotBlockTheQuota() {
        long future = redisMicros() + 3_600_000_000L;
        for (int i = 0; i < LIMIT * 2; i++) {
            connections.template.opsForZSet().add(quotaKey(), "foreign:" + i, future).block(WAIT);
        }
        assertGrantedByRedis(quota(quotaKey()));
        assertThat(ignored("quota_log")).isEqualTo(1.0);
        assertThat(connections.template.opsForZSet().size(quotaKey()).block(WAIT)).isEqualTo(1L);
    }

    @Test
    void quotaEntriesOlderThanTheWindowAreNotCounted() {
        long past = redisMicros() - 10_000_000L;
        for (int i = 0; i < LIMIT * 2; i++) {
            connections.template.opsForZSet().add(quotaKey(), "old:" + i, past).block(WAIT);
        }
        assertGrantedByRedis(quota(quotaKey()));
        assertThat(connections.template.opsForZSet().size(quotaKey()).block(WAIT)).isEqualTo(1L);
        assertThat(ignored("quota_log")).as("aged out, as the log always does").isZero();
    }

    // A client's bucket (Spring Cloud Gateway's RedisRateLimiter, as cluster mode uses it).

    private static final int BURST = 4;

    /**
     * Tokens one request costs, with one token regained per second: a request is regained only after ten minutes.
     * The bucket runs on Redis's clock, so at one request a second the fifth of a burst would pass whenever the
     * first four took more than a second, as they can on a loaded machine.
     */
    private static final int COST = 600;

    private final AtomicInteger localShareCalls = new AtomicInteger();

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private RedisClientRateLimiter clientLimiter() {
        RedisScript<List<Long>> script = (RedisScript) RedisScript.of(
                new ClassPathResource("META-INF/scripts/request_rate_limiter.lua"), List.class);
        RedisRateLimiter limiter = new RedisRateLimiter(connections.template, script, null);
        ClientRateLimiter share = client -> {
            localShareCalls.incrementAndGet();
            return Mono.just(ClientRateLimiter.Verdict.ALLOWED);
        };
        RedisClientRateLimiter client = new RedisClientRateLimiter(limiter, 1, BURST * COST, share, link, scripts,
                Duration.ofSeconds(1), "roomgate-test");
        limiter.getConfig().get("roomgate-clients").setRequestedTokens(COST);
        return client;
    }

    private String clientName() {
        return "client-" + room;
    }

    /** Judged by the shared bucket: BURST requests pass at once, the next is refused, and no local share is used. */
    private void assertJudgedByTheSharedBucket(RedisClientRateLimiter limiter) {
        for (int i = 0; i < BURST; i++) {
            StepVerifier.create(limiter.admit(clientName())).expectNext(ClientRateLimiter.Verdict.ALLOWED)
                .expectComplete().verify(WAIT);
        }
        StepVerifier.create(limiter.admit(clientName()))
            .assertNext(verdict -> assertThat(verdict).isNotEqualTo(ClientRateLimiter.Verdict.ALLOWED))
            .expectComplete().verify(WAIT);
        assertThat(inFallback()).isFalse();
    }

    @Test
    void aValidClientBucketIsUsedAndLivesUnderTheKeysTheCheckClears() {
        RedisClientRateLimiter limiter = clientLimiter();
        assertJudgedByTheSharedBucket(limiter);
        assertThat(localShareCalls.get()).isZero();
        for (String key : limiter.bucketKeys(clientName())) {
            assertThat(connections.template.hasKey(key).block(WAIT)).as(key).isTrue();
        }
        assertThat(ignored("client_limit")).isZero();
    }

    @Test
    void aClientBucketOfAnotherTypeIsIgnoredAndCleared() {
        RedisClientRateLimiter limiter = clientLimiter();
        String tokens = limiter.bucketKeys(clientName()).get(0);
        connections.template.opsForHash().put(tokens, "garbage", "1").block(WAIT);
        StepVerifier.create(limiter.admit(clientName())).expectNext(ClientRateLimiter.Verdict.ALLOWED)
            .expectComplete().verify(WAIT);
        assertThat(localShareCalls.get()).as("that one request, by the local share").isEqualTo(1);
        assertThat(ignored("client_limit")).isEqualTo(1.0);
        assertThat(inFallback()).as("a stray key is not an outage").isFalse();
        assertJudgedByTheSharedBucket(limiter);
        assertThat(localShareCalls.get()).isEqualTo(1);
    }

    @Test
    void aNegativeTokenCountIsIgnoredAndCleared() {
        RedisClientRateLimiter limiter = clientLimiter();
        List<String> keys = limiter.bucketKeys(clientName());
        long nowSeconds = redisMicros() / 1_000_000;
        connections.template.opsForValue().set(keys.get(0), "-1000").block(WAIT);
        connections.template.opsForValue().set(keys.get(1), Long.toString(nowSeconds)).block(WAIT);
        // Left alone, this would refuse the client for 1000 s.
        StepVerifier.create(limiter.admit(clientName())).expectNext(ClientRateLimiter.Verdict.ALLOWED)
            .expectComplete().verify(WAIT);
        assertThat(ignored("client_limit")).isEqualTo(1.0);
        assertJudgedByTheSharedBucket(limiter);
        assertThat(localShareCalls.get()).isEqualTo(1);
    }

    @Test
    void anEmptyBucketWhoseTimestampSaysItIsLongOutOfDateIsFullAgain() {
        // An empty bucket last stamped long ago (twice its fill time), its expiry lost: its own timestamp says it
        // has refilled since.
        RedisClientRateLimiter limiter = clientLimiter();
        List<String> keys = limiter.bucketKeys(clientName());
        connections.template.opsForValue().set(keys.get(0), "0").block(WAIT);
        connections.template.opsForValue().set(keys.get(1), Long.toString(redisMicros() / 1_000_000 - 2L * BURST * COST))
            .block(WAIT);
        assertJudgedByTheSharedBucket(limiter);
        assertThat(localShareCalls.get()).isZero();
        assertThat(ignored("client_limit")).as("the limiter's own arithmetic, nothing to clear").isZero();
    }

    @Test
    void garbageTokensAreReadAsAFullBucketByTheLimiterItself() {
        RedisClientRateLimiter limiter = clientLimiter();
        connections.template.opsForValue().set(limiter.bucketKeys(clientName()).get(0), "garbage").block(WAIT);
        assertJudgedByTheSharedBucket(limiter);
        assertThat(localShareCalls.get()).isZero();
    }

    /** What an operator sees: the replica's fallback gauge. */
    private boolean inFallback() {
        return meters.get("roomgate.cluster.fallback").gauge().value() == 1;
    }
}
