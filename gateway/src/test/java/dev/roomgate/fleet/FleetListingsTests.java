package dev.roomgate.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.FleetProperties;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.Source;
import dev.roomgate.support.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;

/** One listing per instance at a time, reused for fresh-for, stale while a refresh fails, never waited for long. */
class FleetListingsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(1);

    private final ManualTicker ticker = new ManualTicker();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** What the listings told the answer cache. */
    private final List<RoomListing> told = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final FleetListings listings = new FleetListings(
            new FleetProperties(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30)),
            ListingReader.alone(), new InstanceLookups() {
                @Override
                public Mono<dev.roomgate.aggregate.InstanceAnswer> lookup(ProviderClient client, RoomQuery query,
                        boolean noCache, CallBudget budget) {
                    return Mono.error(new AssertionError("the fleet looks no room up"));
                }

                @Override
                public void listed(ProviderInstance instance, RoomListing listing) {
                    told.add(listing);
                }
            }, ticker, meters);

    /** A provider whose listing answers what the test puts in its next sink, counting the reads. */
    private final class ListingProvider implements ProviderClient {

        final AtomicInteger reads = new AtomicInteger();

        volatile Sinks.One<RoomListing> next = Sinks.one();

        private volatile ListingProgress progress;

        private final ProviderInstance instance = new ProviderInstance("fleet-test", ProviderType.PLUGNMEET,
                URI.create("http://fleet.test"), true, INSTANCE_TIMEOUT, 200, 1000,
                ProviderInstance.RetryPolicy.defaults(1), ProviderInstance.BreakerPolicy.defaults(), 10,
                new ProviderCredentials.PlugNmeet("k", Secret.of("s")));

        @Override
        public ProviderInstance instance() {
            return instance;
        }

        @Override
        public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
            return Mono.error(new AssertionError("the fleet lists rooms; it looks none up"));
        }

        @Override
        public Mono<RoomListing> listRooms(CallBudget budget, ListingProgress progress) {
            reads.incrementAndGet();
            this.progress = progress;
            return next.asMono();
        }

        /** The read under way has read one more page, and these rooms so far. */
        void readPage(String... roomIds) {
            progress.read(List.of(roomIds).stream().map(this::room).toList());
        }

        void answers(String... roomIds) {
            Sinks.One<RoomListing> sink = next;
            next = Sinks.one();
            sink.tryEmitValue(new RoomListing(List.of(roomIds).stream().map(this::room).toList(), null, true));
        }

        void fails() {
            Sinks.One<RoomListing> sink = next;
            next = Sinks.one();
            sink.tryEmitError(ProviderException.of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_HTTP_503", "down")
                .answered(503, null).build());
        }

        private Room room(String id) {
            return new Room(instance.name(), ProviderType.PLUGNMEET, id, null, null, true, null, null, null, 1, null,
                    null, null, null, null, Map.of());
        }
    }

    private final ListingProvider provider = new ListingProvider();

    private FleetListings.InstanceListing read(boolean fresh, Runnable upstream) {
        Mono<FleetListings.InstanceListing> listing = listings.listing(provider, fresh);
        FleetListings.InstanceListing[] got = new FleetListings.InstanceListing[1];
        StepVerifier.create(listing)
            .then(upstream)
            .consumeNextWith(answer -> got[0] = answer)
            .expectComplete()
            .verify(WAIT);
        return got[0];
    }

    @Test
    void aListingIsReusedForFreshForAndThenReadAgain() {
        FleetListings.InstanceListing first = read(false, () -> provider.answers("a", "b"));
        assertThat(first.status()).isEqualTo(ProviderStatus.OK);
        assertThat(first.source()).isEqualTo(Source.UPSTREAM);
        assertThat(first.rooms()).extracting(Room::roomId).containsExactly("a", "b");

        ticker.advance(Duration.ofSeconds(4));
        FleetListings.InstanceListing reused = read(false, () -> { });
        assertThat(reused.source()).isEqualTo(Source.CACHE);
        assertThat(reused.age()).isEqualTo(Duration.ofSeconds(4));
        assertThat(provider.reads).hasValue(1);

        ticker.advance(Duration.ofSeconds(1));
        FleetListings.InstanceListing again = read(false, () -> provider.answers("c"));
        assertThat(again.rooms()).extracting(Room::roomId).containsExactly("c");
        assertThat(provider.reads).hasValue(2);
        assertThat(meters.get("roomgate.fleet.rooms").gauge().value()).isEqualTo(1.0);
        // Each read, and only a read, is told to where answers are kept.
        assertThat(told).hasSize(2);
        assertThat(meters.get("roomgate.fleet.listing.pages").summary().count()).isEqualTo(2);
    }

    @Test
    void everyoneAskingMeanwhileJoinsTheOneReadUnderWay() {
        Mono<FleetListings.InstanceListing> first = listings.listing(provider, false);
        Mono<FleetListings.InstanceListing> second = listings.listing(provider, true);
        StepVerifier.create(Mono.zip(first, second))
            .then(() -> provider.answers("a"))
            .assertNext(both -> {
                assertThat(both.getT1().rooms()).extracting(Room::roomId).containsExactly("a");
                assertThat(both.getT2().rooms()).extracting(Room::roomId).containsExactly("a");
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(provider.reads).hasValue(1);
        assertThat(meters.get("roomgate.fleet.listings").tag("outcome", "ok").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aFreshAskPassesOverTheReusedListing() {
        read(false, () -> provider.answers("a"));
        FleetListings.InstanceListing fresh = read(true, () -> provider.answers("a", "z"));
        assertThat(fresh.source()).isEqualTo(Source.UPSTREAM);
        assertThat(fresh.rooms()).hasSize(2);
        assertThat(provider.reads).hasValue(2);
    }

    @Test
    void aFreshAskSentBeforeAReadBeganTakesThatReadAsItsOwn() {
        long asked = ticker.nanoTime();
        ticker.advance(Duration.ofMillis(1));
        read(false, () -> provider.answers("a"));
        // A loaded server takes the request in only after that read ended: it was still read after it was sent.
        ticker.advance(Duration.ofSeconds(2));
        StepVerifier.create(listings.listing(provider, true, asked))
            .assertNext(late -> {
                assertThat(late.status()).isEqualTo(ProviderStatus.OK);
                assertThat(late.source()).isEqualTo(Source.UPSTREAM);
                assertThat(late.rooms()).extracting(Room::roomId).containsExactly("a");
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(provider.reads).hasValue(1);
        // One sent after the read began is not: it gets a read of its own.
        FleetListings.InstanceListing now = read(true, () -> provider.answers("b"));
        assertThat(now.rooms()).extracting(Room::roomId).containsExactly("b");
        assertThat(provider.reads).hasValue(2);
    }

    @Test
    void aFailedRefreshServesTheLastListingStaleUntilMaxStale() {
        read(false, () -> provider.answers("a"));
        ticker.advance(Duration.ofSeconds(30));
        FleetListings.InstanceListing stale = read(false, provider::fails);
        assertThat(stale.status()).isEqualTo(ProviderStatus.STALE);
        assertThat(stale.source()).isEqualTo(Source.STALE);
        assertThat(stale.age()).isEqualTo(Duration.ofSeconds(30));
        assertThat(stale.error().code()).isEqualTo("UPSTREAM_HTTP_503");
        assertThat(stale.rooms()).extracting(Room::roomId).containsExactly("a");

        ticker.advance(Duration.ofSeconds(31));
        FleetListings.InstanceListing failed = read(false, provider::fails);
        assertThat(failed.status()).isEqualTo(ProviderStatus.UPSTREAM_ERROR);
        assertThat(failed.rooms()).isEmpty();
        assertThat(failed.error().httpStatus()).isEqualTo(503);
    }

    @Test
    void aReadSlowerThanTheInstancesTimeoutEndsTheWaitNotTheRead() {
        StepVerifier.withVirtualTime(() -> listings.listing(provider, false))
            .thenAwait(INSTANCE_TIMEOUT)
            .assertNext(waited -> {
                assertThat(waited.status()).isEqualTo(ProviderStatus.TIMEOUT);
                assertThat(waited.error().code()).isEqualTo("LISTING_IN_PROGRESS");
            })
            .expectComplete()
            .verify(WAIT);
        provider.answers("late");
        // The read went on without anyone waiting: the next request finds its rooms.
        FleetListings.InstanceListing next = read(false, () -> { });
        assertThat(next.source()).isEqualTo(Source.CACHE);
        assertThat(next.rooms()).extracting(Room::roomId).containsExactly("late");
        assertThat(provider.reads).hasValue(1);
    }

    @Test
    void aPagedReadSlowerThanTheInstancesTimeoutIsServedAsFarAsItGot() {
        StepVerifier.withVirtualTime(() -> listings.listing(provider, false))
            .then(() -> provider.readPage("a", "b"))
            .then(() -> provider.readPage("a", "b", "c"))
            .thenAwait(INSTANCE_TIMEOUT)
            .assertNext(waited -> {
                assertThat(waited.status()).isEqualTo(ProviderStatus.TIMEOUT);
                assertThat(waited.rooms()).extracting(Room::roomId).containsExactly("a", "b", "c");
                assertThat(waited.source()).isEqualTo(Source.UPSTREAM);
                assertThat(waited.error().code()).isEqualTo("LISTING_PARTIAL");
                assertThat(waited.error().message()).contains("3 rooms in 2 pages within 1000 ms");
            })
            .expectComplete()
            .verify(WAIT);
        provider.answers("a", "b", "c", "d");
        FleetListings.InstanceListing next = read(false, () -> { });
        assertThat(next.status()).isEqualTo(ProviderStatus.OK);
        assertThat(next.rooms()).hasSize(4);
        assertThat(provider.reads).hasValue(1);
    }

    @Test
    void anEarlierWholeListingIsServedStaleBeforeAPartOfTheNextOne() {
        read(false, () -> provider.answers("a", "b", "c"));
        ticker.advance(Duration.ofSeconds(10));
        StepVerifier.withVirtualTime(() -> listings.listing(provider, false))
            .then(() -> provider.readPage("a"))
            .thenAwait(INSTANCE_TIMEOUT)
            .assertNext(waited -> {
                assertThat(waited.status()).isEqualTo(ProviderStatus.STALE);
                assertThat(waited.rooms()).hasSize(3);
                assertThat(waited.age()).isEqualTo(Duration.ofSeconds(10));
            })
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aClientAskingForAListingReadNowGetsThePartOfItReadSoFar() {
        read(false, () -> provider.answers("a", "b", "c"));
        ticker.advance(Duration.ofSeconds(10));
        StepVerifier.withVirtualTime(() -> listings.listing(provider, true))
            .then(() -> provider.readPage("x"))
            .thenAwait(INSTANCE_TIMEOUT)
            .assertNext(waited -> {
                assertThat(waited.status()).isEqualTo(ProviderStatus.TIMEOUT);
                assertThat(waited.rooms()).extracting(Room::roomId).containsExactly("x");
            })
            .expectComplete()
            .verify(WAIT);
    }
}
