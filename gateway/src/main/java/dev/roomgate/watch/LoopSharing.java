package dev.roomgate.watch;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.schema.RoomDocument;

/**
 * How a watched room's loop is shared by the replicas: one of them reads the room, and hands each document to the
 * others, whose loops diff it for their own watchers. On one node, or while the shared store is away, every loop
 * reads for itself ({@link #ALONE}).
 */
public interface LoopSharing {

    /**
     * Whether this replica is the one to read the key's room now: it holds the key's lease (renewed for
     * {@code hold}) or has just taken it, because its holder stopped renewing it. True when it cannot be known.
     */
    Mono<Boolean> lead(WatchKey key, Duration hold);

    /** A document this replica read, for the other replicas' watchers, kept for {@code hold} for late joiners. */
    void share(WatchKey key, RoomDocument document, Duration hold);

    /** The documents the other replicas read for the key, while subscribed. */
    Flux<RoomDocument> shared(WatchKey key);

    /** The last document a replica shared for the key, if one is still kept: a new loop's first snapshot. */
    Mono<RoomDocument> latest(WatchKey key);

    /** This replica's loop of the key stopped: its lease, if it held it, is given up at once. */
    void release(WatchKey key);

    /** Every loop reads its room itself. */
    LoopSharing ALONE = new LoopSharing() {

        @Override
        public Mono<Boolean> lead(WatchKey key, Duration hold) {
            return Mono.just(Boolean.TRUE);
        }

        @Override
        public void share(WatchKey key, RoomDocument document, Duration hold) {
        }

        @Override
        public Flux<RoomDocument> shared(WatchKey key) {
            return Flux.never();
        }

        @Override
        public Mono<RoomDocument> latest(WatchKey key) {
            return Mono.empty();
        }

        @Override
        public void release(WatchKey key) {
        }
    };
}
