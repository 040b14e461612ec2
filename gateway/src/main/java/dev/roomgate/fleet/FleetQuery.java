package dev.roomgate.fleet;

import java.util.List;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.schema.Room;

/**
 * A validated {@code GET /v1/rooms}.
 *
 * @param providers the selected instances, in configured order
 * @param after where the page starts, or null for the first page
 * @param recording only rooms whose recording state is this, or null for any
 * @param streaming only rooms whose streaming state is this, or null for any
 * @param minParticipants only rooms with at least this many participants, or null for any
 * @param fresh the client asked for listings read now ({@code Cache-Control: no-cache})
 * @param askedAtNanos when the request came in, on the ticker: a listing read since then is read now
 */
public record FleetQuery(List<ProviderClient> providers, int limit, FleetCursor.Position after, Boolean recording,
        Boolean streaming, Integer minParticipants, boolean fresh, long askedAtNanos) {

    public static final int MAX_LIMIT = 500;

    public static final int DEFAULT_LIMIT = 100;

    public FleetQuery {
        providers = List.copyOf(providers);
    }

    /**
     * Whether the room passes the filters. A room whose provider does not say (a null state or count) passes no
     * filter on it: a dashboard asking for recording rooms must not be shown rooms that may not be.
     */
    boolean admits(Room room) {
        if (recording != null && !recording.equals(room.recording())) {
            return false;
        }
        if (streaming != null && !streaming.equals(room.streaming())) {
            return false;
        }
        return minParticipants == null || minParticipants <= 0
                || room.participantCount() != null && room.participantCount() >= minParticipants;
    }
}
