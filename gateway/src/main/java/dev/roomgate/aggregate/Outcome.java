package dev.roomgate.aggregate;

import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.UpstreamText;

/**
 * What one instance said about one room, as one value carried unchanged from the provider client to the JSON
 * writer: found, not found, failed with a status, or an earlier good answer standing in for a failure.
 * <p>
 * A client answers {@link Found} or {@link NotFound} and signals everything else as a {@link ProviderException};
 * {@link UpstreamLookup} is the one edge that turns those into {@link Failed}.
 */
public sealed interface Outcome {

    ProviderStatus status();

    /** The room this outcome reports, or null. */
    default Room room() {
        return null;
    }

    /** Why there is no fresh answer, or null for {@code ok} and {@code not_found}. */
    default ProviderError error() {
        return null;
    }

    /** An authoritative answer (found or not found), which may be reused and shared. */
    default boolean isAnswer() {
        return this instanceof Found || this instanceof NotFound;
    }

    record Found(Room room) implements Outcome {

        @Override
        public ProviderStatus status() {
            return ProviderStatus.OK;
        }
    }

    /** @param reason the provider's own words, for the log */
    record NotFound(String reason) implements Outcome {

        /** The provider's words are bounded and stripped before they reach a log line ({@link UpstreamText}). */
        public NotFound {
            reason = UpstreamText.bound(reason);
        }

        @Override
        public ProviderStatus status() {
            return ProviderStatus.NOT_FOUND;
        }
    }

    record Failed(ProviderStatus status, ProviderError error) implements Outcome {

        /**
         * A failure of this room's own (its answer too large, unparseable or refused), not of the instance: see
         * {@link ProviderException#isRoomFailure(ProviderStatus, Integer)}.
         */
        public boolean isRoomFailure() {
            return ProviderException.isRoomFailure(status, error == null ? null : error.httpStatus());
        }
    }

    /** An earlier good answer served because the fresh lookup failed; it still reports the room. */
    record Stale(Found earlier, Failed because) implements Outcome {

        @Override
        public ProviderStatus status() {
            return ProviderStatus.STALE;
        }

        @Override
        public Room room() {
            return earlier.room();
        }

        @Override
        public ProviderError error() {
            return because.error();
        }
    }
}
