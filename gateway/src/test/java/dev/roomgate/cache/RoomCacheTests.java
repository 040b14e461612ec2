package dev.roomgate.cache;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceAnswer;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.RoomgateProperties.CacheProperties;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.Source;

import static org.assertj.core.api.Assertions.assertThat;

class RoomCacheTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Duration BUDGET = Duration.ofSeconds(2);

    private static final CacheProperties SETTINGS = new CacheProperties(true, Duration.ofSeconds(1),
            Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(30), 1000);

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final RoomCache cache = new RoomCache(SETTINGS, new CacheMeters(meters), now::get);

    /** A provider client stand-in that counts lookups and answers as told, after a delay. */
    private static final class CountingClient implements ProviderClient {

        final ProviderInstance instance;

        final AtomicInteger calls = new AtomicInteger();

        final AtomicReference<Mono<Outcome>> answer = new AtomicReference<>();

        CountingClient(String name) {
            this.instance = new ProviderInstance(name, ProviderType.PLUGNMEET, URI.create("http://127.0.0.1:1"), true,
                    BUDGET, 200, 1000, ProviderInstance.RetryPolicy.defaults(1), ProviderInstance.BreakerPolicy.defaults(),
                    10, new ProviderCredentials.PlugNmeet("k", Secret.of("s")));
            answer.set(Mono.fromSupplier(() -> new Outcome.Found(room(name))));
        }

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
            calls.incrementAndGet();
            return answer.get();
        }
    }

    private static Room room(String provider) {
        return new Room(provider, ProviderType.PLUGNMEET, "r1", null, "t", true, null, null, null, 1, null, null, null,
                List.of(), true, Map.of());
    }

    private InstanceAnswer lookup(ProviderClient client, String roomId, boolean participants, boolean noCache) {
        InstanceAnswer[] result = new InstanceAnswer[1];
        StepVerifier.create(cache.lookup(client, new RoomQuery(roomId, participants), noCache, budget()))
            .consumeNextWith(sourced -> result[0] = sourced)
            .expectComplete()
            .verify(WAIT);
        return result[0];
    }

    /** A request's budget, on the cache's clock. */
    private CallBudget budget() {
        return CallBudget.start(now::get, BUDGET);
    }

    private double counted(String result) {
        return meters.get("roomgate.cache.lookups").tag("result", result).counter().count();
    }

    private static Room listedRoom(String provider, String roomId, List<Participant> participants) {
        return new Room(provider, ProviderType.PLUGNMEET, roomId, null, "t", true, null, null, null, 1, null, null,
                null, participants, participants == null ? null : true, Map.of());
    }

    @Test
    void aListingOfWholeRoomsIsTheirAnswerWithAndWithoutParticipants() {
        CountingClient client = new CountingClient("p1");
        Participant alice = new Participant("a", "u", "Alice", "active", null, null, null, null, Map.of());
        cache.listed(client.instance(), new RoomListing(List.of(listedRoom("p1", "listed", null)),
                List.of(listedRoom("p1", "listed", List.of(alice))), true));

        InstanceAnswer whole = lookup(client, "listed", true, false);
        InstanceAnswer counted = lookup(client, "listed", false, false);

        assertThat(whole.source()).isEqualTo(Source.CACHE);
        assertThat(whole.outcome().room().participants()).containsExactly(alice);
        assertThat(counted.outcome().room().participants()).isNull();
        assertThat(client.calls).hasValue(0);
        assertThat(meters.get("roomgate.cache.listed").counter().count()).isEqualTo(2);
    }

    @Test
    void aRoomMissingFromAListingOfEveryLiveRoomIsAskedAgainAndStaysStaleIfThatFails() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        assertThat(client.calls).hasValue(1);

        // A listing that does not say it holds every live room changes nothing.
        cache.listed(client.instance(), new RoomListing(List.of(), null, false));
        lookup(client, "r1", true, false);
        assertThat(client.calls).hasValue(1);

        cache.listed(client.instance(), new RoomListing(List.of(listedRoom("p1", "other", null)), null, true));
        client.answer.set(Mono.error(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_503", "503")
            .answered(503, null).build()));
        InstanceAnswer asked = lookup(client, "r1", true, false);
        assertThat(client.calls).hasValue(2);
        assertThat(asked.source()).isEqualTo(Source.STALE);
        assertThat(asked.outcome().room().roomId()).isEqualTo("r1");
    }

    @Test
    void aRoomTheProviderSaysChangedIsAskedAgainWithAndWithoutParticipants() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        lookup(client, "r1", false, false);
        lookup(client, "r2", true, false);
        assertThat(client.calls).hasValue(3);

        cache.changed(client.instance(), "r1");
        lookup(client, "r1", true, false);
        lookup(client, "r1", false, false);
        lookup(client, "r2", true, false);
        // Only r1's two answers were out of date.
        assertThat(client.calls).hasValue(5);
        assertThat(meters.get("roomgate.cache.changed").counter().count()).isEqualTo(1);
    }

    @Test
    void aThousandConcurrentIdenticalLookupsShareOneUpstreamLookup() {
        // The upstream answers when the test says so, after all thousand have asked: with an answer after a fixed
        // delay, a loaded machine subscribed the last lookups after it and they were served from the cache.
        CountingClient client = new CountingClient("p1");
        Sinks.One<Outcome> upstream = Sinks.one();
        client.answer.set(upstream.asMono());

        Mono<List<InstanceAnswer>> all = Flux.range(0, 1000)
            .flatMap(i -> cache.lookup(client, new RoomQuery("r1", true), false, budget()), 1000)
            .collectList();

        StepVerifier.create(all)
            .then(() -> upstream.tryEmitValue(new Outcome.Found(room("p1"))).orThrow())
            .assertNext(answers -> {
                assertThat(answers).hasSize(1000);
                assertThat(answers).allSatisfy(sourced -> {
                    assertThat(sourced.outcome().status()).isEqualTo(ProviderStatus.OK);
                    assertThat(sourced.source()).isEqualTo(Source.UPSTREAM);
                });
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(client.calls).hasValue(1);
        assertThat(counted("miss")).isEqualTo(1);
        assertThat(counted("coalesced")).isEqualTo(999);
        assertThat(meters.get("roomgate.cache.fetches").counter().count()).isEqualTo(1);
    }

    @Test
    void aLookupThatLandsDuringTheRaceIsNeverRepeated() {
        // Instant answers on several threads at once make the window between the cache check and the flight
        // registration as wide as it gets; with a minute of freshness, one upstream call per trial is all it takes.
        CacheProperties minute = new CacheProperties(true, Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ZERO, Duration.ZERO, 100);
        for (int trial = 0; trial < 200; trial++) {
            RoomCache racing = new RoomCache(minute, new CacheMeters(new SimpleMeterRegistry()), Ticker.system());
            CountingClient client = new CountingClient("p1");
            // Answered on another thread, as a real upstream is: the lookup lands while others are mid-check.
            client.answer.set(Mono.fromCallable(() -> (Outcome) new Outcome.Found(room("p1")))
                .subscribeOn(reactor.core.scheduler.Schedulers.parallel()));
            Mono<Long> herd = Flux.range(0, 300)
                .parallel(6)
                .runOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .concatMap(i -> racing.lookup(client, new RoomQuery("r1", true), false, budget()))
                .sequential()
                .count();
            StepVerifier.create(herd).expectNext(300L).expectComplete().verify(WAIT);
            assertThat(client.calls).as("trial " + trial).hasValue(1);
        }
    }

    @Test
    void aFreshAnswerIsReusedWithItsAge() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        now.addAndGet(Duration.ofMillis(300).toNanos());

        InstanceAnswer again = lookup(client, "r1", true, false);

        assertThat(client.calls).hasValue(1);
        assertThat(again.source()).isEqualTo(Source.CACHE);
        assertThat(again.age()).isEqualTo(Duration.ofMillis(300));
        assertThat(again.freshFor()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(800));
    }

    @Test
    void noCrossTalkBetweenRoomsInstancesOrTheParticipantsFlag() {
        CountingClient first = new CountingClient("p1");
        CountingClient second = new CountingClient("p2");
        lookup(first, "r1", true, false);
        lookup(first, "r1", false, false);
        lookup(first, "r2", true, false);
        lookup(second, "r1", true, false);
        assertThat(first.calls).hasValue(3);
        assertThat(second.calls).hasValue(1);
        assertThat(lookup(first, "r1", false, false).source()).isEqualTo(Source.CACHE);
        assertThat(first.calls).hasValue(3);
    }

    @Test
    void justPastFreshTheOldAnswerIsServedWhileOneRefreshRuns() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        // The refresh answers when the test says so, not after a delay a loaded machine could outrun.
        Sinks.One<Outcome> refresh = Sinks.one();
        client.answer.set(refresh.asMono());

        InstanceAnswer first = lookup(client, "r1", true, false);
        InstanceAnswer second = lookup(client, "r1", true, false);

        assertThat(first.source()).isEqualTo(Source.CACHE);
        assertThat(first.freshFor()).as("served while refreshing: not fresh").isZero();
        assertThat(second.source()).isEqualTo(Source.CACHE);
        assertThat(client.calls).as("one background refresh for both").hasValue(2);
        refresh.tryEmitValue(new Outcome.Found(room("p1"))).orThrow();
        assertThat(lookup(client, "r1", true, false).age()).as("the refreshed answer").isLessThan(Duration.ofMillis(1));
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void aFailureServesTheLastGoodAnswerAsStaleWithTheReason() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        client.answer.set(Mono.error(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_503", "503")
            .answered(503, null).build()));

        InstanceAnswer stale = lookup(client, "r1", true, false);

        assertThat(stale.source()).isEqualTo(Source.STALE);
        assertThat(stale.retries()).as("the failed lookup's, here none").isZero();
        assertThat(stale.age()).isEqualTo(Duration.ofSeconds(10));
        assertThat(stale.outcome().room()).isNotNull();
        assertThat(stale.outcome().error().code()).isEqualTo("UPSTREAM_HTTP_503");
        assertThat(counted("stale")).isEqualTo(1);
        assertThat(counted("miss")).as("one result per lookup: the first, which fetched").isEqualTo(1);
        assertThat(meters.get("roomgate.room.lookups").counter().count()).isEqualTo(2);
    }

    @Test
    void tooOldAnAnswerIsNotServedStale() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        client.answer.set(Mono.error(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_503", "503")
            .answered(503, null).build()));

        InstanceAnswer failed = lookup(client, "r1", true, false);

        assertThat(failed.source()).isEqualTo(Source.UPSTREAM);
        assertThat(failed.outcome().status()).isEqualTo(ProviderStatus.UPSTREAM_ERROR);
    }

    @Test
    void noCacheAsksAgainButStillShares() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        InstanceAnswer fresh = lookup(client, "r1", true, true);
        assertThat(fresh.source()).isEqualTo(Source.UPSTREAM);
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void notFoundIsReusedBriefly() {
        CountingClient client = new CountingClient("p1");
        client.answer.set(Mono.just(new Outcome.NotFound("gone")));
        lookup(client, "gone", true, false);
        assertThat(lookup(client, "gone", true, false).outcome().status()).isEqualTo(ProviderStatus.NOT_FOUND);
        assertThat(client.calls).hasValue(1);
        now.addAndGet(Duration.ofMillis(600).toNanos());
        lookup(client, "gone", true, false);
        assertThat(client.calls).as("past not-found-for, and never served while refreshing").hasValue(2);
    }

    private static ProviderException tooLarge() {
        return ProviderException.of(ProviderStatus.INVALID_RESPONSE, "UPSTREAM_BODY_TOO_LARGE", "too large").build();
    }

    @Test
    void aRoomsOwnFailureIsKeptBrieflySoPollingItCostsNothingUpstream() {
        CountingClient client = new CountingClient("p1");
        client.answer.set(Mono.error(tooLarge()));

        InstanceAnswer first = lookup(client, "big", true, false);
        assertThat(first.outcome().status()).isEqualTo(ProviderStatus.INVALID_RESPONSE);
        assertThat(first.source()).isEqualTo(Source.UPSTREAM);
        for (int i = 0; i < 99; i++) {
            InstanceAnswer again = lookup(client, "big", true, false);
            assertThat(again.outcome().status()).isEqualTo(ProviderStatus.INVALID_RESPONSE);
            assertThat(again.source()).isEqualTo(Source.CACHE);
            assertThat(again.freshFor()).as("a failure is never offered to clients for reuse").isZero();
            assertThat(again.outcome().error().code()).isEqualTo("UPSTREAM_BODY_TOO_LARGE");
        }
        assertThat(client.calls).hasValue(1);
        assertThat(lookup(client, "big", true, true).source()).as("no-cache still asks").isEqualTo(Source.UPSTREAM);
        assertThat(client.calls).hasValue(2);

        now.addAndGet(Duration.ofMillis(600).toNanos());
        lookup(client, "big", true, false);
        assertThat(client.calls).as("past not-found-for it is asked again").hasValue(3);
    }

    @Test
    void aFailureThatMayPassIsNotKept() {
        CountingClient client = new CountingClient("p1");
        client.answer.set(Mono.error(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_503", "503")
            .answered(503, null).retryable(true).build()));
        lookup(client, "r1", true, false);
        lookup(client, "r1", true, false);
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void aKeptRoomFailureStillServesTheLastGoodAnswerAsStale() {
        CountingClient client = new CountingClient("p1");
        lookup(client, "r1", true, false);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        client.answer.set(Mono.error(tooLarge()));

        for (int i = 0; i < 3; i++) {
            InstanceAnswer stale = lookup(client, "r1", true, false);
            assertThat(stale.source()).isEqualTo(Source.STALE);
            assertThat(stale.outcome().room()).isNotNull();
            assertThat(stale.age()).isEqualTo(Duration.ofSeconds(10));
            assertThat(stale.outcome().error().code()).isEqualTo("UPSTREAM_BODY_TOO_LARGE");
        }
        assertThat(client.calls).as("one good lookup, one failed one").hasValue(2);

        // Past not-found-for the room is asked again, and the good answer still stands in.
        now.addAndGet(Duration.ofMillis(600).toNanos());
        assertThat(lookup(client, "r1", true, false).source()).isEqualTo(Source.STALE);
        assertThat(client.calls).hasValue(3);
    }

    @Test
    void aRequestThatRunsOutOfBudgetLeavesTheSharedLookupRunning() {
        CountingClient client = new CountingClient("p1");
        Sinks.One<Outcome> upstream = Sinks.one();
        client.answer.set(upstream.asMono());

        StepVerifier.create(cache.lookup(client, new RoomQuery("r1", true), false,
                CallBudget.start(now::get, Duration.ofMillis(100))))
            .assertNext(sourced -> assertThat(sourced.outcome().status()).isEqualTo(ProviderStatus.TIMEOUT))
            .expectComplete()
            .verify(WAIT);
        // The upstream answers only after the request gave up: the lookup was still running to take it.
        upstream.tryEmitValue(new Outcome.Found(room("p1"))).orThrow();

        assertThat(lookup(client, "r1", true, false).source()).as("the lookup finished for the next request").isEqualTo(Source.CACHE);
        assertThat(client.calls).hasValue(1);
    }

    @Test
    void bigRoomsCountAgainstTheBoundByTheirParticipants() {
        CountingClient client = new CountingClient("p1");
        List<Participant> crowd = IntStream.range(0, 3000)
            .mapToObj(i -> new Participant("u" + i, "User " + i, null, "joined", null, null, null, null, Map.of()))
            .toList();
        client.answer.set(Mono.fromSupplier(() -> new Outcome.Found(new Room("p1", ProviderType.PLUGNMEET, "big",
                null, "t", true, null, null, null, crowd.size(), null, null, null, crowd, true, Map.of()))));
        // 3000 participants weigh 301 of the 1000 allowed: at most three such rooms fit.
        Mono<Long> big = Flux.range(0, 10)
            .concatMap(i -> cache.lookup(client, new RoomQuery("big-" + i, true), false, budget()))
            .count();
        StepVerifier.create(big).expectNext(10L).expectComplete().verify(WAIT);
        assertThat(cache.size()).isBetween(1L, 3L);
    }

    @Test
    void memoryStaysBoundedWithAHundredThousandDistinctRooms() {
        CountingClient client = new CountingClient("p1");
        Mono<Long> many = Flux.range(0, 100_000)
            .flatMap(i -> cache.lookup(client, new RoomQuery("room-" + i, true), false, budget()), 256)
            .count();
        StepVerifier.create(many).expectNext(100_000L).expectComplete().verify(Duration.ofSeconds(60));
        assertThat(cache.size()).isLessThanOrEqualTo(SETTINGS.maxEntries());
    }
}
