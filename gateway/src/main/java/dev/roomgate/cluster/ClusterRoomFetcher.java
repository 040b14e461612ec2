package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.InstanceAnswer;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.aggregate.UpstreamLookup;
import dev.roomgate.cache.RoomFetcher;
import dev.roomgate.config.RoomgateProperties.CacheProperties;

/**
 * Fetches a room once for every replica (room-claim.lua, room-store.lua). The first replica to claim it holds a
 * short lease and fetches; the others poll for the answer it stores (kept in Redis for the freshness window). When
 * the holder is slow its lease ends and another replica takes over; a replica that has waited half its budget
 * fetches on its own. Redis unreachable: every replica fetches on its own, which the shared quota (or each
 * replica's share of it) still bounds.
 */
final class ClusterRoomFetcher implements RoomFetcher {

    private static final Duration MAX_POLL = Duration.ofMillis(100);

    // Bigger answers (rooms with thousands of participants) are not shared: one would hold up every other call on
    // the replica's Redis connection, quota leases included.
    static final int MAX_SHARED_CHARS = 256 * 1024;

    private final SharedFetches fetches;

    private final RedisLink link;

    private final SharedAnswers answers = new SharedAnswers();

    private final CacheProperties cache;

    private final Duration lease;

    private final String replica;

    private final AtomicLong claims = new AtomicLong();

    private final Ticker ticker;

    ClusterRoomFetcher(RedisScripts scripts, RedisLink link, CacheProperties cache, Duration lease, String replica,
            Ticker ticker) {
        this.fetches = new SharedFetches(scripts, link, ticker);
        this.link = link;
        this.cache = cache;
        this.lease = lease;
        this.replica = replica;
        this.ticker = ticker;
    }

    /** One replica's attempt at one room: its claim in Redis, and what it fetches with. */
    private record Claim(SharedFetches.Claim shared, ProviderClient client, RoomQuery query, CallBudget budget) {
    }

    @Override
    public Mono<InstanceAnswer> fetch(ProviderClient client, RoomQuery query, boolean fresh, CallBudget budget) {
        return Mono.defer(() -> {
            String instance = client.instance().name();
            String tag = instance + ":" + query.roomId() + ":" + (query.includeParticipants() ? "p" : "n");
            Claim claim = new Claim(new SharedFetches.Claim(instance, fetches.keys("room", tag),
                    replica + ":" + claims.incrementAndGet(), lease,
                    ticker.nanoTime() + budget.remaining().toNanos() / 2, MAX_POLL), client, query, budget);
            if (fresh || !link.usable()) {
                // A client that refused reused answers gets a fetch of its own, which still serves the others.
                return lead(claim);
            }
            return fetches.claim(claim.shared(), reply -> shared(claim, reply), () -> lead(claim));
        });
    }

    /**
     * An answer another replica stored, used only if it reads as one and is no older than an answer of its kind may
     * be ({@code fresh-for}, {@code not-found-for}); anything else is ignored and fetched, which is always safe.
     */
    private Mono<InstanceAnswer> shared(Claim claim, List<Object> reply) {
        Outcome outcome;
        long ageMillis;
        try {
            ageMillis = Long.parseLong(String.valueOf(reply.get(1)));
            String body = String.valueOf(reply.get(2));
            if (ageMillis < 0 || body.length() > MAX_SHARED_CHARS) {
                return ignored(claim, "age " + ageMillis + " ms, " + body.length() + " chars");
            }
            outcome = answers.decode(body);
        }
        catch (RuntimeException unreadable) {
            // Another version of Roomgate may have stored it, or something else wrote the key.
            return ignored(claim, "unreadable (" + unreadable.getClass().getSimpleName() + ")");
        }
        Duration keep = keptFor(outcome);
        if (ageMillis > keep.toMillis()) {
            return ignored(claim, "older (" + ageMillis + " ms) than an answer of its kind may be (" + keep + ")");
        }
        return Mono.just(InstanceAnswer.reused(outcome, Duration.ofMillis(ageMillis), Duration.ZERO));
    }

    private Mono<InstanceAnswer> ignored(Claim claim, String why) {
        link.ignored("shared_answer", "provider=" + claim.client().instance().name() + ": " + why + "; fetching");
        return lead(claim);
    }

    /** Fetches with what is left of the lookup's budget, then shares a good answer with the other replicas. */
    private Mono<InstanceAnswer> lead(Claim claim) {
        return UpstreamLookup.fetch(claim.client(), claim.query(), claim.budget())
            .doOnNext(answer -> store(claim, answer.outcome()));
    }

    private Duration keptFor(Outcome outcome) {
        return outcome instanceof Outcome.Found ? cache.freshFor() : cache.notFoundFor();
    }

    private void store(Claim claim, Outcome outcome) {
        if (!link.usable()) {
            return;
        }
        String body = answers.encode(outcome);
        boolean shared = body != null && body.length() <= MAX_SHARED_CHARS;
        fetches.store(claim.shared(), shared ? body : "", keptFor(outcome));
    }
}
