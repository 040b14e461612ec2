package dev.roomgate.watch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Function;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.roomgate.config.WatchProperties;
import dev.roomgate.schema.RoomDocument;

/**
 * One room's loop: reads the room every {@code poll-interval} (and at once when woken), diffs each document with
 * what was known, and hands the changes to every watcher's own bounded buffer. Started by its first watcher,
 * stopped {@code linger} after its last one left. All state changes under this object's lock; the reads run
 * outside it.
 */
final class RoomWatch {

    /** A watcher whose buffer is full: it gets a final error event once it has read what is buffered. */
    static final class TooSlow extends RuntimeException {

        TooSlow() {
            super("the watcher fell too far behind", null, false, false);
        }
    }

    /** How long a dropped watcher's stream may still take to read its last events before it is closed. */
    static final Duration DROPPED_GRACE = Duration.ofSeconds(10);

    private final class Watcher {

        // Exactly this many: Reactor's own queues round a capacity up to a power of two.
        private final Sinks.Many<WatchEvent> events = Sinks.many().unicast()
            .onBackpressureBuffer(new ArrayBlockingQueue<>(properties.buffer()));

        private final Sinks.Empty<Void> closed = Sinks.empty();

        private boolean dropped;

        /** Under the watch's lock. */
        void offer(WatchEvent event) {
            if (dropped) {
                return;
            }
            if (events.tryEmitNext(event).isFailure()) {
                dropped = true;
                onDropped.run();
                events.tryEmitError(new TooSlow());
                Mono.delay(DROPPED_GRACE).subscribe(done -> closed.tryEmitEmpty());
            }
        }

        Flux<WatchEvent> stream() {
            return events.asFlux()
                .onErrorResume(TooSlow.class, slow -> Mono.just(new WatchEvent(null, WatchEventType.ERROR,
                        new Change.ErrorData("TOO_SLOW", "this stream fell more than " + properties.buffer()
                                + " events behind and is closed; reconnect with Last-Event-ID to resume"))))
                .takeUntilOther(closed.asMono())
                .doFinally(signal -> leave(this));
        }
    }

    private final WatchKey key;

    private final Function<Boolean, Mono<RoomDocument>> reader;

    private final WatchProperties properties;

    private final Runnable onStopped;

    private final Runnable onDropped;

    private final LoopSharing sharing;

    /** How long a lease, and a shared document, outlive the loop's last renewal: a few polls. */
    private final Duration hold;

    private final Set<Watcher> watchers = new LinkedHashSet<>();

    private final Deque<WatchEvent> held = new ArrayDeque<>();

    private final Sinks.Many<Boolean> wakes = Sinks.many().multicast().directBestEffort();

    private Disposable poller;

    private Disposable stopping;

    private boolean stopped;

    private RoomDocument current;

    private RoomDiff.Known known = RoomDiff.Known.NOTHING;

    private long lastId;

    /**
     * @param reader reads the room: {@code true} asks for a fresh answer (after a webhook), past the answer cache
     * @param firstId the id after which this loop's events are numbered
     * @param onStopped called once, when the loop has stopped for good
     * @param onDropped called for each watcher dropped for reading too slowly
     */
    RoomWatch(WatchKey key, Function<Boolean, Mono<RoomDocument>> reader, WatchProperties properties, long firstId,
            Runnable onStopped, Runnable onDropped) {
        this(key, reader, properties, firstId, onStopped, onDropped, LoopSharing.ALONE);
    }

    /** @param sharing whether this replica reads the room, or takes the documents another one read */
    RoomWatch(WatchKey key, Function<Boolean, Mono<RoomDocument>> reader, WatchProperties properties, long firstId,
            Runnable onStopped, Runnable onDropped, LoopSharing sharing) {
        this.sharing = sharing;
        this.hold = properties.pollInterval().multipliedBy(3);
        this.key = key;
        this.reader = reader;
        this.properties = properties;
        this.lastId = firstId;
        this.onStopped = onStopped;
        this.onDropped = onDropped;
    }

    WatchKey key() {
        return key;
    }

    /**
     * A new watcher's events: what it missed since {@code lastEventId} when this loop still holds all of it, else
     * a snapshot first (at once, or when the first read ends); then every change. Null when the loop has stopped.
     */
    synchronized Flux<WatchEvent> join(Long lastEventId) {
        if (stopped) {
            return null;
        }
        if (stopping != null) {
            stopping.dispose();
            stopping = null;
        }
        Watcher watcher = new Watcher();
        watchers.add(watcher);
        if (current != null) {
            List<WatchEvent> missed = missedSince(lastEventId);
            if (missed == null) {
                watcher.offer(snapshot());
            }
            else {
                missed.forEach(watcher::offer);
            }
        }
        if (poller == null) {
            poller = poll();
        }
        return watcher.stream();
    }

    /** Reads the room again now, for every watcher (a webhook said it changed). */
    synchronized void wake() {
        wakes.tryEmitNext(Boolean.TRUE);
    }

    synchronized int watchers() {
        return watchers.size();
    }

    private Disposable poll() {
        Flux<Boolean> ticks = Flux.interval(Duration.ZERO, properties.pollInterval()).map(tick -> Boolean.FALSE);
        Flux<RoomDocument> read = Flux.merge(ticks, wakes.asFlux())
            // A tick or a wake during a read asks for one read after it, not one each.
            .onBackpressureLatest()
            .concatMap(fresh -> turn(fresh).onErrorResume(failed -> Mono.empty()), 1);
        return Flux.merge(read, sharing.shared(key)).subscribe(this::publish);
    }

    /** This replica's turn: read the room if it leads the key's loop, else at most fetch what the leader shared. */
    private Mono<RoomDocument> turn(boolean fresh) {
        return sharing.lead(key, hold).flatMap(leading -> {
            if (leading) {
                return reader.apply(fresh).doOnNext(document -> sharing.share(key, document, hold));
            }
            return hasDocument() ? Mono.empty() : sharing.latest(key);
        });
    }

    private synchronized boolean hasDocument() {
        return current != null;
    }

    private synchronized void publish(RoomDocument document) {
        if (stopped) {
            return;
        }
        if (current == null) {
            current = document;
            known = RoomDiff.Known.of(document);
            WatchEvent snapshot = snapshot();
            watchers.forEach(watcher -> watcher.offer(snapshot));
            return;
        }
        RoomDiff.Step step = RoomDiff.next(known, document);
        current = document;
        known = step.known();
        for (Change change : step.changes()) {
            WatchEvent event = new WatchEvent(++lastId, change.type(), change.data());
            hold(event);
            // A copy: a watcher dropped here leaves the set from its own stream's end.
            new ArrayList<>(watchers).forEach(watcher -> watcher.offer(event));
        }
    }

    private void hold(WatchEvent event) {
        if (properties.replay() == 0) {
            return;
        }
        held.addLast(event);
        while (held.size() > properties.replay()) {
            held.removeFirst();
        }
    }

    private WatchEvent snapshot() {
        return new WatchEvent(lastId, WatchEventType.SNAPSHOT, current);
    }

    /** The events after {@code lastEventId}, or null when they are not all held (or would overflow a buffer). */
    private List<WatchEvent> missedSince(Long lastEventId) {
        if (lastEventId == null || lastEventId > lastId) {
            return null;
        }
        long oldestHeld = held.isEmpty() ? lastId + 1 : held.getFirst().id();
        if (lastEventId < oldestHeld - 1) {
            return null;
        }
        List<WatchEvent> missed = held.stream().filter(event -> event.id() > lastEventId).toList();
        return missed.size() > properties.buffer() ? null : missed;
    }

    private synchronized void leave(Watcher watcher) {
        watchers.remove(watcher);
        if (watchers.isEmpty() && !stopped && stopping == null) {
            stopping = Mono.delay(properties.linger()).subscribe(done -> stopIfIdle());
        }
    }

    private void stopIfIdle() {
        synchronized (this) {
            if (!watchers.isEmpty() || stopped) {
                return;
            }
            stopped = true;
            stopping = null;
            if (poller != null) {
                poller.dispose();
            }
        }
        sharing.release(key);
        onStopped.run();
    }
}
