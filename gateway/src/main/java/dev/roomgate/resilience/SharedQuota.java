package dev.roomgate.resilience;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * The part of an instance's outbound quota that other replicas share. It is asked when a call is about to start,
 * after this replica's own quota has paced it.
 */
public interface SharedQuota {

    /** One node, nothing shared: this replica's own quota is the whole quota. */
    SharedQuota NONE = maxWait -> Mono.just(Grant.GRANTED);

    /**
     * The window this replica's own quota must count in: as long as the shared quota's, so that a replica kept to
     * its allotment is rarely made to wait by the shared quota, out of turn.
     */
    default Duration window() {
        return SlidingWindowQuota.WINDOW;
    }

    /**
     * @param maxWait the longest the caller can wait for a permit
     * @return the verdict; never an error
     */
    Mono<Grant> acquire(Duration maxWait);

    /**
     * What the shared quota says about one call.
     *
     * @param share for {@link Kind#LOCAL_SHARE}: the replica's own share, which decides instead
     * @param onStart for {@link Kind#LOCAL_SHARE}: runs when a call the share let through really starts
     */
    record Grant(Kind kind, SlidingWindowQuota share, Runnable onStart) {

        public static final Grant GRANTED = new Grant(Kind.GRANTED, null, null);

        public static final Grant REFUSED = new Grant(Kind.REFUSED, null, null);

        public static Grant localShare(SlidingWindowQuota share, Runnable onStart) {
            return new Grant(Kind.LOCAL_SHARE, share, onStart);
        }

        public enum Kind {
            /** Start now. */
            GRANTED,
            /** No permit within the wait the caller could afford. */
            REFUSED,
            /** The shared quota cannot be asked right now: the replica's own share decides. */
            LOCAL_SHARE
        }
    }
}
