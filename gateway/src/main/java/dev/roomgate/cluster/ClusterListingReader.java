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

    private static final Duration FIRST_POLL = Duration.ofMillis(20);

    private static final Duration MAX_POLL = Duration.ofMillis(200);

    /** As for shared rooms: a bigger value would hold up every other call on the replica's Redis connection. */
    static final int MAX_SHARED_CHARS = ClusterRoomFetcher.MAX_SHARED_CHARS;

    /** The shared form: the rooms, and whether a room missing from them is known not to be live. */
    record SharedListing(List<Room> rooms, boolean everyLiveRoom) {
    }

    private final JsonMapper json = JsonMapper.builder().build();

    private final RedisScripts scripts;

    private final RedisLink link;

    private final FleetProperties fleet;

    private final String replica;

    private final AtomicLong claims = new AtomicLong();

    private final Ticker ticker;

    ClusterListingReader(RedisScripts scripts, RedisLink link, FleetProperties fleet, String replica, Ticker ticker) {
        this.scripts = scripts;
        this.link = link;
        this.fleet = fleet;
        this.replica = replica;
        this.ticker = ticker;
    }

    private record Claim(ProviderClient client, List<String> keys, String holder, CallBudget budget,
            ListingProgress progress, long waitUntil) {
    }

    @Override
    public Mono<Read> read(ProviderClient client, boolean fresh, CallBudget budget,
            ListingProgress progress) {
        return Mono.defer(() -> {
            String tag = client.instance().name();
            Claim claim = new Claim(client, List.of(scripts.key("listing", tag, ":answer"),
                    scripts.key("listing", tag, ":lease")), replica + ":" + claims.incrementAndGet(), budget,
                    progress, ticker.nanoTime() + budget.remaining().toNanos() / 2);
            if (fresh || !link.usable()) {
                return lead(claim);
            }
            return ask(claim, FIRST_POLL);
        });
    }

    private Mono<Read> ask(Claim claim, Duration poll) {
        String lease = Long.toString(fleet.listingTimeout().toMillis());
        return scripts.run("coalesce", RedisScripts.ROOM_CLAIM, claim.keys(), claim.holder(), lease)
            .onErrorResume(reported -> Mono.just(List.of("unavailable")))
            .flatMap(reply -> switch (reply.isEmpty() ? "" : String.valueOf(reply.get(0))) {
                case "answer" -> shared(claim, reply);
                case "wait" -> ticker.nanoTime() + poll.toNanos() - claim.waitUntil() > 0 ? lead(claim)
                        : Mono.delay(poll).then(Mono.defer(() -> ask(claim, longer(poll))));
                default -> lead(claim);
            });
    }

    private static Duration longer(Duration poll) {
        Duration doubled = poll.multipliedBy(2);
        return doubled.compareTo(MAX_POLL) > 0 ? MAX_POLL : doubled;
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
        // With nothing to share, the script only ends this replica's lease, so that the others read at once.
        scripts.run("coalesce", RedisScripts.ROOM_STORE, claim.keys(), body.length() <= MAX_SHARED_CHARS ? body : "",
                Long.toString(fleet.freshFor().toMillis()), claim.holder())
            .subscribe(done -> { }, reported -> { });
    }
}
