package dev.roomgate.watch;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.config.WatchProperties;
import dev.roomgate.schema.RoomDocument;

/**
 * Every watched room's one loop on this replica, however many watch it, and the bound on open streams. A loop
 * starts with its first watcher and stops {@code linger} after its last.
 */
public final class RoomWatches {

    /** Refused: this replica already holds {@code max-streams} open streams. */
    public static final class TooManyStreams extends RuntimeException {

        TooManyStreams(int max) {
            super("this replica holds its " + max + " open event streams; try again shortly", null, false, false);
        }
    }

    private final Map<WatchKey, RoomWatch> loops = new ConcurrentHashMap<>();

    private final AtomicInteger streams = new AtomicInteger();

    private final WatchProperties properties;

    private final Function<WatchKey, Function<Boolean, Mono<RoomDocument>>> readers;

    private final Clock clock;

    private final LoopSharing sharing;

    private final Counter dropped;

    private final Counter polls;

    private final Counter wakes;

    /**
     * @param readers how a key's room is read: {@code true} asks past the answer cache
     * @param clock numbers each new loop's events after the time it starts, so that ids keep increasing across a
     *        loop's restarts and a {@code Last-Event-ID} from an earlier loop is never mistaken for one of this one
     */
    public RoomWatches(WatchProperties properties, Function<WatchKey, Function<Boolean, Mono<RoomDocument>>> readers,
            Clock clock, MeterRegistry meters) {
        this(properties, readers, clock, meters, LoopSharing.ALONE);
    }

    /** @param sharing in cluster mode, one replica reads each watched room for all of them */
    public RoomWatches(WatchProperties properties, Function<WatchKey, Function<Boolean, Mono<RoomDocument>>> readers,
            Clock clock, MeterRegistry meters, LoopSharing sharing) {
        this.sharing = sharing;
        this.properties = properties;
        this.readers = readers;
        this.clock = clock;
        Gauge.builder("roomgate.watch.streams", streams, AtomicInteger::get)
            .description("Open event streams (GET /v1/rooms/{roomId}/events) on this replica")
            .register(meters);
        Gauge.builder("roomgate.watch.loops", loops, Map::size)
            .description("Watched rooms' refresh loops running on this replica, one per room however many watch it")
            .register(meters);
        this.dropped = Counter.builder("roomgate.watch.dropped")
            .description("Event streams closed because their client read too slowly")
            .register(meters);
        this.polls = reads(meters, "poll");
        this.wakes = reads(meters, "wake");
    }

    /**
     * A stream of the key's room for one watcher, counted among the open streams until it ends.
     *
     * @param lastEventId the client's {@code Last-Event-ID}, or null
     * @throws TooManyStreams at once, when {@code max-streams} are open
     */
    public Flux<WatchEvent> watch(WatchKey key, Long lastEventId) {
        if (streams.incrementAndGet() > properties.maxStreams()) {
            streams.decrementAndGet();
            throw new TooManyStreams(properties.maxStreams());
        }
        try {
            return join(key, lastEventId).doFinally(signal -> streams.decrementAndGet());
        }
        catch (RuntimeException failed) {
            streams.decrementAndGet();
            throw failed;
        }
    }

    /** Wakes every loop of the room, to read it again now (a webhook said it changed). */
    public void wake(String roomId) {
        loops.values().stream().filter(loop -> loop.key().roomId().equals(roomId)).forEach(RoomWatch::wake);
    }

    public int streams() {
        return streams.get();
    }

    private Flux<WatchEvent> join(WatchKey key, Long lastEventId) {
        while (true) {
            RoomWatch loop = loops.computeIfAbsent(key, this::start);
            Flux<WatchEvent> events = loop.join(lastEventId);
            if (events != null) {
                return events;
            }
            // It stopped between the lookup and the join: it is leaving the map; a new one starts.
            loops.remove(key, loop);
        }
    }

    private static Counter reads(MeterRegistry meters, String trigger) {
        return Counter.builder("roomgate.watch.reads")
            .description("Reads of watched rooms by their loops, one per poll or wake however many watch")
            .tag("trigger", trigger)
            .register(meters);
    }

    private RoomWatch start(WatchKey key) {
        RoomWatch[] started = new RoomWatch[1];
        Function<Boolean, Mono<RoomDocument>> reader = readers.apply(key);
        Function<Boolean, Mono<RoomDocument>> counted = fresh -> {
            (fresh ? wakes : polls).increment();
            return reader.apply(fresh);
        };
        started[0] = new RoomWatch(key, counted, properties, clock.millis() * 1000,
                () -> loops.remove(key, started[0]), dropped::increment, sharing);
        return started[0];
    }
}
