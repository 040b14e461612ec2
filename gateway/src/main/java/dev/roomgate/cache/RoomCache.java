package dev.roomgate.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.Fetched;
import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Sourced;
import dev.roomgate.aggregate.UpstreamLookup;
import dev.roomgate.config.RoomgateProperties.CacheProperties;

/**
 * Turns many identical reads into one upstream lookup, per (instance, room, participants flag):
 * <ul>
 * <li>fresh answers are reused as they are;</li>
 * <li>just past freshness, the old answer is served at once while one background refresh runs;</li>
 * <li>otherwise concurrent requests share one lookup (single-flight), which runs with the instance's own budget
 * and stores its answer before anyone hears it, so no request arriving later can start a second one;</li>
 * <li>when that lookup fails, a good answer younger than max-stale is served as {@code stale}.</li>
 * </ul>
 * Each request waits only within its own budget; leaving early never cancels the shared lookup.
 */
public final class RoomCache implements InstanceLookups {

    private static final double JITTER = 0.1;

    private final CacheProperties settings;

    private final Cache<Key, Entry> entries;

    private final ConcurrentMap<Key, CompletableFuture<Flight>> flights = new ConcurrentHashMap<>();

    private final CacheMeters meters;

    private final LongSupplier nanoTime;

    public RoomCache(CacheProperties settings, CacheMeters meters, LongSupplier nanoTime) {
        this.settings = settings;
        this.meters = meters;
        this.nanoTime = nanoTime;
        Duration longestUse = settings.freshFor().multipliedBy(2)
            .plus(settings.refreshWindow().compareTo(settings.maxStale()) > 0 ? settings.refreshWindow()
                    : settings.maxStale());
        this.entries = Caffeine.newBuilder().maximumSize(settings.maxEntries()).expireAfterWrite(longestUse).build();
        meters.bindSize(entries::estimatedSize);
    }

    record Key(String instance, String roomId, boolean participants) {
    }

    /** A good lookup (found or not found) and until when it counts as fresh. */
    record Entry(Fetched fetched, long fetchedAt, long freshUntil) {

        boolean isFound() {
            return fetched.room() != null;
        }
    }

    /** The outcome of one shared lookup, and the entry it stored (null when it failed). */
    private record Flight(Fetched fetched, Entry stored) {
    }

    /** A request's place in a shared lookup: whether it started it. */
    private record Joined(CompletableFuture<Flight> flight, boolean started) {
    }

    @Override
    public Mono<Sourced> lookup(ProviderClient client, RoomQuery query, boolean noCache, Duration budget) {
        return Mono.defer(() -> {
            String instance = client.instance().name();
            meters.lookedUp(instance);
            Key key = new Key(instance, query.roomId(), query.includeParticipants());
            long now = nanoTime.getAsLong();
            Entry entry = entries.getIfPresent(key);
            if (entry != null && !noCache) {
                if (now < entry.freshUntil()) {
                    meters.count(instance, "hit");
                    return Mono.just(Sourced.cached(entry.fetched(), age(entry, now),
                            Duration.ofNanos(entry.freshUntil() - now)));
                }
                if (entry.isFound() && now < entry.freshUntil() + settings.refreshWindow().toNanos()) {
                    meters.count(instance, "refresh");
                    flight(client, query, key, now);
                    return Mono.just(Sourced.cached(entry.fetched(), age(entry, now), Duration.ZERO));
                }
            }
            return join(client, query, key, budget, entry, now);
        });
    }

    /** Shared lookups in progress right now (for the tests and the gauge). */
    public int inFlight() {
        return flights.size();
    }

    /** Cached answers right now; maintenance runs first, so the bound is visible. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private Mono<Sourced> join(ProviderClient client, RoomQuery query, Key key, Duration budget, Entry previous,
            long arrived) {
        Joined joined = flight(client, query, key, arrived);
        String shared = joined.started() ? "miss" : "coalesced";
        return Mono.fromFuture(joined.flight(), true)
            .timeout(budget)
            .map(done -> done.stored() != null
                    ? Sourced.upstream(done.fetched(), Duration.ofNanos(Math.max(0,
                            done.stored().freshUntil() - nanoTime.getAsLong())))
                    : staleOr(done.fetched(), previous))
            .onErrorResume(TimeoutException.class,
                    late -> Mono.just(staleOr(UpstreamLookup.timedOut(budget), previous)))
            // One result per request: stale when an old answer stood in, else how it took part in the lookup.
            .doOnNext(sourced -> meters.count(key.instance(), sourced.isStale() ? "stale" : shared));
    }

    /** @param arrived when the request arrived: an answer fetched since then serves it without another lookup */
    private Joined flight(ProviderClient client, RoomQuery query, Key key, long arrived) {
        CompletableFuture<Flight> mine = new CompletableFuture<>();
        CompletableFuture<Flight> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return new Joined(running, false);
        }
        mine.whenComplete((done, error) -> flights.remove(key, mine));
        // A lookup may have stored its answer and left between this request's cache check and here: then that
        // answer, fetched after this request arrived, is as fresh as a new lookup would be.
        Entry landed = entries.getIfPresent(key);
        if (landed != null && landed.fetchedAt() > arrived) {
            mine.complete(new Flight(landed.fetched(), landed));
            return new Joined(mine, false);
        }
        meters.fetchStarted(key.instance());
        // The instance's whole budget, not the first requester's: the lookup serves everyone who joins it.
        UpstreamLookup.fetch(client, query, client.instance().timeout())
            .map(fetched -> new Flight(fetched, store(key, fetched)))
            .subscribe(mine::complete, mine::completeExceptionally);
        return new Joined(mine, true);
    }

    /** Stores a good answer before the lookup completes, so that nobody arriving later misses it. */
    private Entry store(Key key, Fetched fetched) {
        if (!fetched.succeeded()) {
            return null;
        }
        long now = nanoTime.getAsLong();
        Duration fresh = fetched.room() != null ? settings.freshFor() : settings.notFoundFor();
        double jitter = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
        Entry entry = new Entry(fetched, now, now + (long) (fresh.toNanos() * jitter));
        entries.put(key, entry);
        return entry;
    }

    private Sourced staleOr(Fetched failed, Entry previous) {
        long now = nanoTime.getAsLong();
        if (previous != null && previous.isFound() && age(previous, now).compareTo(settings.maxStale()) <= 0) {
            return Sourced.stale(previous.fetched(), age(previous, now), failed);
        }
        return Sourced.upstream(failed, Duration.ZERO);
    }

    private static Duration age(Entry entry, long now) {
        return Duration.ofNanos(Math.max(0, now - entry.fetchedAt()));
    }
}
