package dev.roomgate.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.schema.FleetDocument;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.Source;

/**
 * One page of the fleet view: every selected instance's listing at once, merged in configured instance order and
 * then by {@code roomId}, filtered, and cut after the cursor's room and at the limit (contract 2.1).
 */
public final class FleetAggregator {

    private final FleetListings listings;

    private final FleetCursor cursors;

    private final Map<String, Integer> configuredOrder = new HashMap<>();

    private final Clock clock;

    private final Ticker ticker;

    /** @param instanceOrder every configured instance's name, in configured order */
    public FleetAggregator(FleetListings listings, FleetCursor cursors, List<String> instanceOrder, Clock clock,
            Ticker ticker) {
        this.listings = listings;
        this.cursors = cursors;
        this.clock = clock;
        this.ticker = ticker;
        for (int i = 0; i < instanceOrder.size(); i++) {
            configuredOrder.put(instanceOrder.get(i), i);
        }
    }

    /** Whether a cursor's instance is one this deployment has, so that a stray cursor is refused, not misread. */
    public boolean knows(FleetCursor.Position position) {
        return configuredOrder.containsKey(position.instance());
    }

    public Mono<FleetDocument> page(FleetQuery query) {
        long started = ticker.nanoTime();
        return Flux.fromIterable(query.providers())
            .flatMapSequential(client -> listings.listing(client, query.fresh(), query.askedAtNanos())
                .map(listing -> new Timed(listing, Duration.ofNanos(ticker.nanoTime() - started))))
            .collectList()
            .map(timed -> document(query, timed));
    }

    private record Timed(FleetListings.InstanceListing listing, Duration latency) {
    }

    private FleetDocument document(FleetQuery query, List<Timed> timed) {
        List<Room> all = new ArrayList<>();
        List<ProviderResult> results = new ArrayList<>();
        for (Timed part : timed) {
            FleetListings.InstanceListing listing = part.listing();
            results.add(result(listing, part.latency()));
            listing.rooms().stream().filter(query::admits).forEach(all::add);
        }
        all.sort(Comparator.<Room>comparingInt(room -> order(room.provider())).thenComparing(Room::roomId));
        List<Room> after = query.after() == null ? all
                : all.stream().filter(room -> isAfter(room, query.after())).toList();
        List<Room> page = after.size() > query.limit() ? after.subList(0, query.limit()) : after;
        String next = after.size() > query.limit() ? cursors.write(position(page.get(page.size() - 1))) : null;
        boolean complete = results.stream().allMatch(result -> result.status() == ProviderStatus.OK);
        return new FleetDocument(complete, clock.instant(), next, page, results);
    }

    private static ProviderResult result(FleetListings.InstanceListing listing, Duration latency) {
        Long ageMs = listing.source() == Source.UPSTREAM ? null : listing.age().toMillis();
        return new ProviderResult(listing.instance().name(), listing.instance().type(), listing.status(),
                latency.toMillis(), listing.retries(), listing.source(), ageMs, listing.error());
    }

    private boolean isAfter(Room room, FleetCursor.Position position) {
        int byInstance = Integer.compare(order(room.provider()), order(position.instance()));
        return byInstance > 0 || byInstance == 0 && room.roomId().compareTo(position.roomId()) > 0;
    }

    private int order(String instance) {
        return configuredOrder.getOrDefault(instance, Integer.MAX_VALUE);
    }

    private static FleetCursor.Position position(Room room) {
        return new FleetCursor.Position(room.provider(), room.roomId());
    }
}
