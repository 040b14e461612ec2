package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.FleetProperties;
import dev.roomgate.fleet.ListingReader;
import dev.roomgate.schema.Room;

/**
 * Reads an instance's room listing once for every replica, with the room fetch's scripts (room-claim.lua,
 * room-store.lua) on keys of its own: the first replica to claim it reads it under a lease as long as a read may
 * take, the others poll for the listing it stores for {@code fresh-for}. The shared form is the listed rooms only;
 * whole rooms (plugNmeet's, with participants) refresh the room cache of the replica that read them, and are not
 * put through Redis. Redis unreachable, or a listing too big to share: every replica reads its own, which each
 * replica's part of the list limit still bounds.
 */
final class ClusterListingReader implements ListingReader {

    private static final Duration MAX_POLL = Duration.ofMillis(200);

    /** As for shared rooms: a bigger value would hold up every other call on the replica's Redis connection. */
    static final int MAX_SHARED_CHARS = ClusterRoomFetcher.MAX_SHARED_CHARS;

    /** The shared form: the rooms, and whether a room missing from them is known not to be live. */
    record SharedListing(List<Room> rooms, boolean everyLiveRoom) {
    }

    private final JsonMapper json = JsonMapper.builder().build();

    private final SharedFetches fetches;

    private final RedisLink link;

    private final FleetProperties fleet;

    private final String replica;

    private final AtomicLong claims = new AtomicLong();

    private final Ticker ticker;

    ClusterListingReader(RedisScripts scripts, RedisLink link, FleetProperties fleet, String replica, Ticker ticker) {
        this.fetches = new SharedFetches(scripts, link, ticker);
        this.link = link;
        this.fleet = fleet;
        this.replica = replica;
        this.ticker = ticker;
    }

    /** One replica's attempt at one listing: its claim in Redis, and what it reads with. */
    private record Claim(SharedFetches.Claim shared, ProviderClient client, CallBudget budget,
            ListingProgress progress) {
    }

    @Override
    public Mono<Read> read(ProviderClient client, boolean fresh, CallBudget budget,
            ListingProgress progress) {
        return Mono.defer(() -> {
            String instance = client.instance().name();
            Claim claim = new Claim(new SharedFetches.Claim(instance, fetches.keys("listing", instance),
                    replica + ":" + claims.incrementAndGet(), fleet.listingTimeout(),
                    ticker.nanoTime() + budget.remaining().toNanos() / 2, MAX_POLL), client, budget, progress);
            if (fresh || !link.usable()) {
                return lead(claim);
            }
            return fetches.claim(claim.shared(), reply -> shared(claim, reply), () -> lead(claim));
        });
    }

    /** Another replica's listing, used only if it reads as one and is within {@code fresh-for}; else read here. */
    private Mono<Read> shared(Claim claim, List<Object> reply) {
        try {
            long ageMillis = Long.parseLong(String.valueOf(reply.get(1)));
            String body = String.valueOf(reply.get(2));
            if (ageMillis < 0 || ageMillis > fleet.freshFor().toMillis() || body.length() > MAX_SHARED_CHARS) {
                return ignored(claim, "age " + ageMillis + " ms, " + body.length() + " chars");
            }
            SharedListing listing = json.readValue(body, SharedListing.class);
            if (listing == null || listing.rooms() == null || listing.rooms().stream().anyMatch(room -> room == null
                    || room.roomId() == null || !claim.client().instance().name().equals(room.provider()))) {
                return ignored(claim, "not a listing of this instance");
            }
            return Mono.just(new Read(new RoomListing(listing.rooms(), null, listing.everyLiveRoom()),
                    Duration.ofMillis(Math.max(1, ageMillis))));
        }
        catch (RuntimeException unreadable) {
            return ignored(claim, "unreadable (" + unreadable.getClass().getSimpleName() + ")");
        }
    }

    private Mono<Read> ignored(Claim claim, String why) {
        link.ignored("shared_listing", "provider=" + claim.client().instance().name() + ": " + why + "; reading");
        return lead(claim);
    }

    /** Reads the listing with the budget, then shares it with the other replicas (or just ends the lease). */
    private Mono<Read> lead(Claim claim) {
        return claim.client().listRooms(claim.budget(), claim.progress())
            .doOnNext(listing -> store(claim, listing))
            .doOnError(failed -> store(claim, null))
            .map(listing -> new Read(listing, Duration.ZERO));
    }

    private void store(Claim claim, RoomListing listing) {
        if (!link.usable()) {
            return;
        }
        String body = listing == null ? ""
                : json.writeValueAsString(new SharedListing(listing.rooms(), listing.everyLiveRoom()));
        fetches.store(claim.shared(), body.length() <= MAX_SHARED_CHARS ? body : "", fleet.freshFor());
    }
}
