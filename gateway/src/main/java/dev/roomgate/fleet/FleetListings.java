package dev.roomgate.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.aggregate.UpstreamLookup;
import dev.roomgate.config.FleetProperties;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.Source;

/**
 * Each instance's room listing, read once at a time for every client and reused for {@code fresh-for}; while a
 * refresh fails, the last good listing is served {@code stale} with its age, up to {@code max-stale}. A listing is
 * one or many upstream calls for a whole fleet, so a herd of dashboards must cost one, not one each.
 */
public final class FleetListings {

    /** What one instance's listing gives an answer: its rooms (empty when it failed) and how it was had. */
    public record InstanceListing(ProviderInstance instance, ProviderStatus status, List<Room> rooms, Source source,
            Duration age, int retries, ProviderError error) {
    }

    /**
     * A listing as read, and when (on the ticker).
     *
     * @param startedNanos when its read started: a request sent before then may take it as read for it
     */
    private record Read(List<Room> rooms, long atNanos, int retries, long startedNanos) {
    }

    /**
     * What the one shared read produced: the rooms, or why not.
     *
     * @param shared the listing was read by another replica, and is as old there
     * @param partial what a read still under way had read when the request stopped waiting for it; else null
     */
    private record Fetched(Read read, Outcome.Failed failure, int retries, boolean shared,
            ListingProgress.SoFar partial) {

        Fetched(Read read, Outcome.Failed failure, int retries, boolean shared) {
            this(read, failure, retries, shared, null);
        }
    }

    private final class Slot {

        private final ProviderInstance instance;

        private final AtomicInteger rooms = new AtomicInteger();

        private final Counter[] outcomes;

        private final DistributionSummary pages;

        private volatile Read last;

        /** How far the read under way (or the last one) got. */
        private volatile ListingProgress progress;

        private Mono<Fetched> inFlight;

        Slot(ProviderInstance instance) {
            this.instance = instance;
            Gauge.builder("roomgate.fleet.rooms", rooms, AtomicInteger::get)
                .description("Live rooms in the instance's last good listing")
                .tag("provider", instance.name())
                .register(meters);
            this.outcomes = new Counter[] { listings(instance, "ok"), listings(instance, "failed") };
            this.pages = DistributionSummary.builder("roomgate.fleet.listing.pages")
                .description("Upstream calls one read of the instance's room listing took, retries not counted")
                .tag("provider", instance.name())
                .register(meters);
        }

        /** Joins the read under way, or starts one that runs to its end whoever leaves. */
        synchronized Mono<Fetched> refresh(ProviderClient client, boolean fresh) {
            Mono<Fetched> joined = inFlight;
            if (joined != null) {
                return joined;
            }
            Mono<Fetched> read = read(client, fresh).cache();
            inFlight = read;
            // Subscribed here, so the read goes on when the requests that wanted it leave; it may end at once.
            read.subscribe(fetched -> finished(read));
            return read;
        }

        private synchronized void finished(Mono<Fetched> read) {
            if (inFlight == read) {
                inFlight = null;
            }
        }

        private Mono<Fetched> read(ProviderClient client, boolean fresh) {
            return Mono.defer(() -> {
                long started = ticker.nanoTime();
                CallBudget budget = CallBudget.start(ticker, properties.listingTimeout());
                ListingProgress told = new ListingProgress();
                progress = told;
                return reader.read(client, fresh, budget, told)
                    .timeout(budget.backstop())
                    .doFinally(done -> pages.record(budget.calls() - budget.retries()))
                    .map(shared -> {
                        RoomListing listing = shared.listing();
                        lookups.listed(instance, listing);
                        List<Room> rooms = listing.rooms();
                        long readAt = ticker.nanoTime() - shared.age().toNanos();
                        // Another replica's read began before it ended, at the latest: no earlier is known here.
                        Read read = new Read(rooms, readAt, budget.retries(), shared.age().isZero() ? started : readAt);
                        last = read;
                        this.rooms.set(rooms.size());
                        outcomes[0].increment();
                        return new Fetched(read, null, budget.retries(), !shared.age().isZero());
                    })
                    .onErrorResume(error -> {
                        outcomes[1].increment();
                        return Mono.just(new Fetched(null, UpstreamLookup.failed(instance, error, budget),
                                budget.retries(), false));
                    });
            });
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    private final FleetProperties properties;

    private final InstanceLookups lookups;

    private final ListingReader reader;

    private final Ticker ticker;

    private final MeterRegistry meters;

    private final DistributionSummary agesServed;

    /**
     * @param reader how a listing is read: alone, or once for every replica
     * @param lookups where answers are kept: a listing refreshes those of its rooms
     */
    public FleetListings(FleetProperties properties, ListingReader reader, InstanceLookups lookups, Ticker ticker,
            MeterRegistry meters) {
        this.properties = properties;
        this.reader = reader;
        this.lookups = lookups;
        this.ticker = ticker;
        this.meters = meters;
        this.agesServed = DistributionSummary.builder("roomgate.fleet.listing.age")
            .description("Age of the room listings fleet answers were built from (0 for one read for them)")
            .baseUnit("seconds")
            .register(meters);
    }

    /**
     * The instance's listing as an answer may use it; never an error.
     *
     * @param fresh the client asked for a fresh answer ({@code Cache-Control: no-cache}): the reused listing is
     *        passed over, though a read already under way is still joined, so a herd of those costs one read too
     */
    public Mono<InstanceListing> listing(ProviderClient client, boolean fresh) {
        return listing(client, fresh, ticker.nanoTime());
    }

    /**
     * @param askedAtNanos when the request came in (on the ticker): with {@code fresh}, a listing whose read began
     *        after it is read for it, so a herd of such requests that the server takes in over a while costs one
     *        read, not one per read that ended while it was still coming in
     */
    public Mono<InstanceListing> listing(ProviderClient client, boolean fresh, long askedAtNanos) {
        Slot slot = slots.computeIfAbsent(client.instance().name(), name -> new Slot(client.instance()));
        Read last = slot.last;
        if (!fresh && last != null && age(last).compareTo(properties.freshFor()) < 0) {
            return Mono.just(served(slot.instance, ProviderStatus.OK, last, Source.CACHE, null));
        }
        if (fresh && last != null && last.startedNanos() - askedAtNanos > 0) {
            return Mono.just(served(slot.instance, ProviderStatus.OK, last, Source.UPSTREAM, null));
        }
        return slot.refresh(client, fresh).timeout(slot.instance.timeout(), Mono.fromSupplier(() -> stillReading(slot)))
            .map(fetched -> {
            if (fetched.read() != null) {
                // Read by another replica: reused, as old as it is there.
                Source source = fetched.shared() ? Source.CACHE : Source.UPSTREAM;
                return served(slot.instance, ProviderStatus.OK, fetched.read(), source, null);
            }
            // A part of this read beats an earlier whole listing only for a client that asked for a listing read now.
            if (fetched.partial() != null && fresh) {
                return partly(slot, fetched);
            }
            Read earlier = slot.last;
            if (earlier != null && age(earlier).compareTo(properties.maxStale()) <= 0) {
                return served(slot.instance, ProviderStatus.STALE, earlier, Source.STALE, fetched.failure().error());
            }
            if (fetched.partial() != null) {
                return partly(slot, fetched);
            }
            return new InstanceListing(slot.instance, fetched.failure().status(), List.of(), Source.UPSTREAM,
                    Duration.ZERO, fetched.retries(), fetched.failure().error());
        });
    }

    private static InstanceListing partly(Slot slot, Fetched fetched) {
        return new InstanceListing(slot.instance, ProviderStatus.TIMEOUT, fetched.partial().rooms(), Source.UPSTREAM,
                Duration.ZERO, 0, fetched.failure().error());
    }

    /**
     * A request's wait for the instance ended before the read did: the read goes on (for the requests after this
     * one), and this one gets the last listing, stale; else the pages read so far, as a timeout that says how far
     * it got; else a timeout that says the read goes on.
     */
    private Fetched stillReading(Slot slot) {
        ListingProgress progress = slot.progress;
        ListingProgress.SoFar soFar = progress == null ? null : progress.soFar();
        if (soFar != null && soFar.pages() > 0) {
            String message = "the room listing was read as far as " + soFar.rooms().size() + " rooms in "
                    + soFar.pages() + " pages within " + slot.instance.timeout().toMillis()
                    + " ms; it goes on being read, for the requests after this one";
            ProviderError partial = new ProviderError(ProviderError.LISTING_PARTIAL, message, null, null);
            return new Fetched(null, new Outcome.Failed(ProviderStatus.TIMEOUT, partial), 0, false, soFar);
        }
        ProviderError error = new ProviderError("LISTING_IN_PROGRESS", "the room listing was not read within "
                + slot.instance.timeout().toMillis() + " ms; it goes on being read, for the requests after this one",
                null, null);
        return new Fetched(null, new Outcome.Failed(ProviderStatus.TIMEOUT, error), 0, false);
    }

    private InstanceListing served(ProviderInstance instance, ProviderStatus status, Read read, Source source,
            ProviderError error) {
        Duration age = source == Source.UPSTREAM ? Duration.ZERO : age(read);
        agesServed.record(age.toMillis() / 1000.0);
        return new InstanceListing(instance, status, read.rooms(), source, age,
                source == Source.UPSTREAM ? read.retries() : 0, error);
    }

    private Duration age(Read read) {
        return Duration.ofNanos(Math.max(0, ticker.nanoTime() - read.atNanos()));
    }

    private Counter listings(ProviderInstance instance, String outcome) {
        return Counter.builder("roomgate.fleet.listings")
            .description("Room listings read from the provider, for every fleet answer that came meanwhile")
            .tag("provider", instance.name())
            .tag("outcome", outcome)
            .register(meters);
    }
}
