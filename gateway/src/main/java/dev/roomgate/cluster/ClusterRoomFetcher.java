package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.Fetched;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
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

    private static final Duration FIRST_POLL = Duration.ofMillis(20);

    private static final Duration MAX_POLL = Duration.ofMillis(100);

    // Bigger answers (rooms with thousands of participants) are not shared: one would hold up every other call on
    // the replica's Redis connection, quota leases included.
    static final int MAX_SHARED_CHARS = 256 * 1024;

    private final RedisScripts scripts;

    private final RedisLink link;

    private final SharedAnswers answers = new SharedAnswers();

    private final CacheProperties cache;

    private final String leaseMillis;

    private final String replica;

    private final AtomicLong claims = new AtomicLong();

    private final LongSupplier nanoTime;

    ClusterRoomFetcher(RedisScripts scripts, RedisLink link, CacheProperties cache, Duration lease, String replica,
            LongSupplier nanoTime) {
        this.scripts = scripts;
        this.link = link;
        this.cache = cache;
        this.leaseMillis = Long.toString(lease.toMillis());
        this.replica = replica;
        this.nanoTime = nanoTime;
    }

    /** One replica's attempt at one room: its keys, its holder id and its time. */
    private record Claim(ProviderClient client, RoomQuery query, List<String> keys, String holder, long started,
            long waitUntil) {
    }

    @Override
    public Mono<Fetch> fetch(ProviderClient client, RoomQuery query, boolean fresh) {
        return Mono.defer(() -> {
            Duration budget = client.instance().timeout();
            String tag = client.instance().name() + ":" + query.roomId() + ":" + (query.includeParticipants() ? "p" : "n");
            long now = nanoTime.getAsLong();
            Claim claim = new Claim(client, query,
                    List.of(scripts.key("room", tag, ":answer"), scripts.key("room", tag, ":lease")),
                    replica + ":" + claims.incrementAndGet(), now, now + budget.toNanos() / 2);
            if (fresh || !link.usable()) {
                // A client that refused reused answers gets a fetch of its own, which still serves the others.
                return lead(claim);
            }
            return ask(claim, FIRST_POLL);
        });
    }

    /** @param poll how long to wait before asking again, while another replica holds the lease (backs off) */
    private Mono<Fetch> ask(Claim claim, Duration poll) {
        return scripts.run("coalesce", RedisScripts.ROOM_CLAIM, claim.keys(), claim.holder(), leaseMillis)
            .onErrorResume(reported -> Mono.just(List.of("unavailable")))
            .flatMap(reply -> switch (reply.isEmpty() ? "" : String.valueOf(reply.get(0))) {
                case "answer" -> shared(claim, reply);
                case "wait" -> {
                    noteIgnored(claim, reply, 2);
                    yield nanoTime.getAsLong() + poll.toNanos() - claim.waitUntil() > 0 ? lead(claim)
                            : Mono.delay(poll).then(Mono.defer(() -> ask(claim, longer(poll))));
                }
                case "lead" -> {
                    noteIgnored(claim, reply, 1);
                    yield lead(claim);
                }
                default -> lead(claim);
            });
    }

    /** The claim script names a stored value it ignored (room-claim.lua) at this index of its reply. */
    private void noteIgnored(Claim claim, List<Object> reply, int at) {
        if (reply.size() > at) {
            String what = "lease".equals(String.valueOf(reply.get(at))) ? "room_lease" : "shared_answer";
            link.ignored(what, "provider=" + claim.client().instance().name() + ": malformed or out of date");
        }
    }

    private static Duration longer(Duration poll) {
        Duration doubled = poll.multipliedBy(2);
        return doubled.compareTo(MAX_POLL) > 0 ? MAX_POLL : doubled;
    }

    /**
     * An answer another replica stored, used only if it reads as one and is no older than an answer of its kind may
     * be ({@code fresh-for}, {@code not-found-for}); anything else is ignored and fetched, which is always safe.
     */
    private Mono<Fetch> shared(Claim claim, List<Object> reply) {
        Fetched fetched;
        long ageMillis;
        try {
            ageMillis = Long.parseLong(String.valueOf(reply.get(1)));
            String body = String.valueOf(reply.get(2));
            if (ageMillis < 0 || body.length() > MAX_SHARED_CHARS) {
                return ignored(claim, "age " + ageMillis + " ms, " + body.length() + " chars");
            }
            fetched = answers.decode(body);
        }
        catch (RuntimeException unreadable) {
            // Another version of Roomgate may have stored it, or something else wrote the key.
            return ignored(claim, "unreadable (" + unreadable.getClass().getSimpleName() + ")");
        }
        Duration keep = fetched.room() != null ? cache.freshFor() : cache.notFoundFor();
        if (ageMillis > keep.toMillis()) {
            return ignored(claim, "older (" + ageMillis + " ms) than an answer of its kind may be (" + keep + ")");
        }
        return Mono.just(new Fetch(fetched, Duration.ofMillis(ageMillis), true));
    }

    private Mono<Fetch> ignored(Claim claim, String why) {
        link.ignored("shared_answer", "provider=" + claim.client().instance().name() + ": " + why + "; fetching");
        return lead(claim);
    }

    /** Fetches with what is left of the instance's budget, then shares a good answer with the other replicas. */
    private Mono<Fetch> lead(Claim claim) {
        Duration left = claim.client().instance().timeout().minusNanos(nanoTime.getAsLong() - claim.started());
        return UpstreamLookup.fetch(claim.client(), claim.query(), left)
            .doOnNext(fetched -> store(claim, fetched))
            .map(Fetch::ours);
    }

    private void store(Claim claim, Fetched fetched) {
        if (!link.usable()) {
            return;
        }
        String body = answers.encode(fetched);
        boolean shared = body != null && body.length() <= MAX_SHARED_CHARS;
        Duration keep = fetched.room() != null ? cache.freshFor() : cache.notFoundFor();
        // With nothing to share, the script only ends this replica's lease, so that the others fetch at once.
        scripts.run("coalesce", RedisScripts.ROOM_STORE, claim.keys(), shared ? body : "",
                Long.toString(keep.toMillis()), claim.holder())
            .subscribe(done -> { }, reported -> { });
    }
}
