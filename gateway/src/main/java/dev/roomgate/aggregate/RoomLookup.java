package dev.roomgate.aggregate;


/** The two authoritative answers a provider can give about a room. */
public sealed interface RoomLookup {

    record Found(Room room) implements RoomLookup {
    }

    /** @param reason the provider's own words, for the log */
    record NotFound(String reason) implements RoomLookup {

        /** The provider's words are bounded and stripped before they reach a log line ({@link UpstreamText}). */
        public NotFound {
            reason = UpstreamText.bound(reason);
        }
    }
}
