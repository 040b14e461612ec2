package dev.roomgate.cache;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceAnswer;
import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.aggregate.UpstreamLookup;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.RoomgateProperties.CacheProperties;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.Source;

/**
 * Turns many identical reads into one upstream lookup, per (instance, room, participants flag):
 * <ul>
 * <li>fresh answers are reused as they are;</li>
 * <li>just past freshness, the old answer is served at once while one background refresh runs;</li>
 * <li>otherwise concurrent requests share one lookup (single-flight), which runs with the instance's own budget
 * and stores its answer before anyone hears it, so no request arriving later can start a second one;</li>
 * <li>when that lookup fails, a good answer younger than max-stale is served as {@code stale};</li>
 * <li>a failure of the room's own (its answer too large, unparseable or refused, see
 * {@link Outcome.Failed#isRoomFailure()}) is kept for not-found-for, like a "not found": the provider is healthy and will
 * answer the same, so polling that room must cost nothing upstream (it no longer feeds the breaker, so nothing
 * else holds it back). Other failures are not kept: a timeout or a 5xx may pass at the next request.</li>
 * </ul>
 * Each request waits only within its own budget; leaving early never cancels the shared lookup.
 */
public final class RoomCache implements InstanceLookups {

    private static final double JITTER = 0.1;

    static final int PARTICIPANTS_PER_UNIT = 10;

    private final CacheProperties settings;

    private final Cache<Key, Entry> entries;

    private final ConcurrentMap<Key, CompletableFuture<Flight>> flights = new ConcurrentHashMap<>();

    private final CacheMeters meters;

    private final Ticker ticker;

    private final RoomFetcher fetcher;

    public RoomCache(CacheProperties settings, CacheMeters meters, Ticker ticker) {
        this(settings, RoomFetcher.alone(), meters, ticker);
    }

    /** @param fetcher how a lookup nobody here has answered is fetched (in cluster mode, once for all replicas) */
    public RoomCache(CacheProperties settings, RoomFetcher fetcher, CacheMeters meters, Ticker ticker) {
        this.settings = settings;
        this.fetcher = fetcher;
        this.meters = meters;
        this.ticker = ticker;
        Duration longestFresh = settings.freshFor().compareTo(settings.notFoundFor()) > 0 ? settings.freshFor()
                : settings.notFoundFor();
        Duration longestUse = longestFresh.multipliedBy(2)
            .plus(settings.refreshWindow().compareTo(settings.maxStale()) > 0 ? settings.refreshWindow()
                    : settings.maxStale());
        this.entries = Caffeine.newBuilder()
            .maximumWeight(settings.maxEntries())
            .weigher((Key key, Entry entry) -> entry.weight())
            .expireAfterWrite(longestUse)
            // Entries expire on the same clock that judges their freshness.
            .ticker(ticker::nanoTime)
            .build();
        meters.bindSize(entries::estimatedSize);
    }

    record Key(String instance, String roomId, boolean participants) {
    }

    /**
     * A lookup and until when it counts as fresh: a good one (found or not found), or a room failure.
     * @param lastGood for a room failure, the good entry it replaced (null if none), still served as stale
     */
    record Entry(Outcome outcome, long fetchedAt, long freshUntil, Entry lastGood) {

        Outcome.Found found() {
            return outcome instanceof Outcome.Found found ? found : null;
        }

        /** The good answer this entry holds: itself, or for a failure the one it replaced. */
        Entry good() {
            return outcome.isAnswer() ? this : lastGood;
        }

        /**
         * What the entry counts against {@code max-entries}: one, plus one per {@link #PARTICIPANTS_PER_UNIT}
         * participants, so that the bound holds memory, not only answers (a VideoSDK room can list 50 000 people).
         */
        int weight() {
            Room room = good() == null ? null : good().outcome().room();
            int participants = room == null || room.participants() == null ? 0 : room.participants().size();
            return 1 + participants / PARTICIPANTS_PER_UNIT;
        }
    }

    /** The answer of one shared lookup, and the entry it stored (null when nothing was kept). */
    private record Flight(InstanceAnswer answer, Entry stored) {
    }

    /** A request's place in a shared lookup: whether it started it. */
    private record Joined(CompletableFuture<Flight> flight, boolean started) {
    }

    @Override
    public Mono<InstanceAnswer> lookup(ProviderClient client, RoomQuery query, boolean noCache, CallBudget budget) {
        return Mono.defer(() -> {
            String instance = client.instance().name();
            meters.lookedUp(instance);
            Key key = new Key(instance, query.roomId(), query.includeParticipants());
            long now = ticker.nanoTime();
            Entry entry = entries.getIfPresent(key);
            if (entry != null && !noCache) {
                if (now < entry.freshUntil() && !entry.outcome().isAnswer()) {
                    return Mono.just(keptFailure(instance, entry, now));
                }
                if (now < entry.freshUntil()) {
                    meters.count(instance, "hit");
                    return Mono.just(InstanceAnswer.reused(entry.outcome(), age(entry, now),
                            Duration.ofNanos(entry.freshUntil() - now)));
                }
                if (entry.found() != null && now < entry.freshUntil() + settings.refreshWindow().toNanos()) {
                    meters.count(instance, "refresh");
                    flight(client, query, key, now, false, budget);
                    return Mono.just(InstanceAnswer.reused(entry.outcome(), age(entry, now), Duration.ZERO));
                }
            }
            return join(client, query, key, budget, entry == null ? null : entry.good(), now, noCache);
        });
    }

    /**
     * A listing that carries whole rooms (plugNmeet's) is each of those rooms' answer, fetched now: it is kept as
     * the lookup of the room would keep it, with and without participants. A listing of every live room also marks
     * the kept answers of rooms it lacks out of date: the next lookup asks the provider, and the old answer is still
     * there to stand in as stale if that fails.
     */
    @Override
    public void listed(ProviderInstance instance, RoomListing listing) {
        long now = ticker.nanoTime();
        if (listing.wholeRooms() != null) {
            for (int i = 0; i < listing.wholeRooms().size(); i++) {
                Room whole = listing.wholeRooms().get(i);
                store(new Key(instance.name(), whole.roomId(), true), now, whole);
                store(new Key(instance.name(), whole.roomId(), false), now, listing.rooms().get(i));
            }
            meters.keptFromListing(instance.name(), 2 * listing.wholeRooms().size());
        }
        if (!listing.everyLiveRoom()) {
            return;
        }
        Set<String> live = new HashSet<>();
        listing.rooms().forEach(room -> live.add(room.roomId()));
        // Past its refresh window too: the room is not served as it was while being asked again.
        long outOfDate = now - settings.refreshWindow().toNanos() - 1;
        entries.asMap().replaceAll((key, entry) -> key.instance().equals(instance.name())
                && entry.found() != null && !live.contains(key.roomId()) && entry.freshUntil() > outOfDate
                        ? new Entry(entry.outcome(), entry.fetchedAt(), outOfDate, entry.lastGood()) : entry);
    }

    /** Both answers kept for the room (with and without participants) are past their refresh window now. */
    @Override
    public void changed(ProviderInstance instance, String roomId) {
        long outOfDate = ticker.nanoTime() - settings.refreshWindow().toNanos() - 1;
        for (boolean participants : new boolean[] { true, false }) {
            entries.asMap().computeIfPresent(new Key(instance.name(), roomId, participants),
                    (key, entry) -> entry.freshUntil() > outOfDate
                            ? new Entry(entry.outcome(), entry.fetchedAt(), outOfDate, entry.lastGood()) : entry);
        }
        meters.changed(instance.name());
    }

    private void store(Key key, long now, Room room) {
        double jitter = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
        entries.put(key, new Entry(new Outcome.Found(room), now, now + (long) (settings.freshFor().toNanos() * jitter),
                null));
    }

    /** Cached answers right now; maintenance runs first, so the bound is visible. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private Mono<InstanceAnswer> join(ProviderClient client, RoomQuery query, Key key, CallBudget budget,
            Entry previous, long arrived, boolean noCache) {
        Joined joined = flight(client, query, key, arrived, noCache, budget);
        String shared = joined.started() ? "miss" : "coalesced";
        return Mono.fromFuture(joined.flight(), true)
            .timeout(budget.remaining())
            .map(done -> done.answer().outcome().isAnswer() ? stored(done) : staleOr(done.answer(), previous))
            .onErrorResume(TimeoutException.class,
                    late -> Mono.just(staleOr(UpstreamLookup.timedOut(budget), previous)))
            // One result per request: stale when an old answer stood in, else how it took part in the lookup.
            .doOnNext(answer -> meters.count(key.instance(), answer.source() == Source.STALE ? "stale" : shared));
    }

    private InstanceAnswer stored(Flight done) {
        long now = ticker.nanoTime();
        Duration freshFor = Duration.ofNanos(Math.max(0, done.stored().freshUntil() - now));
        InstanceAnswer answer = done.answer();
        return answer.source() == Source.CACHE
                ? InstanceAnswer.reused(answer.outcome(), age(done.stored(), now), freshFor)
                : answer.freshFor(freshFor);
    }

    /**
     * @param arrived when the request arrived: an answer fetched since then serves it without another lookup
     * @param fresh the request refused reused answers
     */
    private Joined flight(ProviderClient client, RoomQuery query, Key key, long arrived, boolean fresh,
            CallBudget requester) {
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
            mine.complete(new Flight(InstanceAnswer.fetched(landed.outcome(), 0), landed));
            return new Joined(mine, false);
        }
        meters.fetchStarted(key.instance());
        fetcher.fetch(client, query, fresh, requester.forSharedLookup(client.instance().timeout()))
            .map(answer -> new Flight(answer, store(key, answer)))
            .subscribe(mine::complete, mine::completeExceptionally);
        return new Joined(mine, true);
    }

    /**
     * Stores a good answer, or a room failure, before the lookup completes, so that nobody arriving later misses
     * it. An answer another replica fetched is as old here as it is there.
     */
    private Entry store(Key key, InstanceAnswer answer) {
        Outcome outcome = answer.outcome();
        boolean roomFailure = outcome instanceof Outcome.Failed failed && failed.isRoomFailure();
        if (!outcome.isAnswer() && !roomFailure) {
            return null;
        }
        long fetchedAt = ticker.nanoTime() - answer.age().toNanos();
        Duration fresh = outcome instanceof Outcome.Found ? settings.freshFor() : settings.notFoundFor();
        double jitter = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
        Entry replaced = outcome.isAnswer() ? null : entries.getIfPresent(key);
        Entry entry = new Entry(outcome, fetchedAt, fetchedAt + (long) (fresh.toNanos() * jitter),
                replaced == null ? null : replaced.good());
        entries.put(key, entry);
        return entry;
    }

    /**
     * A kept room failure: the last good answer as stale while it is young enough, else the failure itself, reused
     * (no retries of its own, and nothing a client may cache).
     */
    private InstanceAnswer keptFailure(String instance, Entry failure, long now) {
        Entry good = failure.lastGood();
        InstanceAnswer kept = InstanceAnswer.reused(failure.outcome(), age(failure, now), Duration.ZERO);
        if (good != null && good.found() != null && age(good, now).compareTo(settings.maxStale()) <= 0) {
            meters.count(instance, "stale");
            return InstanceAnswer.stale(good.found(), age(good, now), kept);
        }
        meters.count(instance, "hit");
        return kept;
    }

    private InstanceAnswer staleOr(InstanceAnswer failed, Entry previous) {
        long now = ticker.nanoTime();
        if (previous != null && previous.found() != null && age(previous, now).compareTo(settings.maxStale()) <= 0) {
            return InstanceAnswer.stale(previous.found(), age(previous, now), failed);
        }
        return failed;
    }

    private static Duration age(Entry entry, long now) {
        return Duration.ofNanos(Math.max(0, now - entry.fetchedAt()));
    }
}
