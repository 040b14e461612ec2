package dev.roomgate.schema;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The answer to {@code GET /v1/rooms} (contract 2.1): one page of every live room, and each selected instance's
 * result for its listing.
 *
 * @param complete true when every selected instance's listing is fresh ({@code ok})
 * @param nextCursor where the next page starts, or null on the last page
 * @param rooms by configured instance order, then {@code roomId}; never with a participant list
 */
public record FleetDocument(boolean complete, Instant fetchedAt, String nextCursor, List<Room> rooms,
        List<ProviderResult> providers) {

    public FleetDocument {
        rooms = List.copyOf(rooms);
        providers = List.copyOf(providers);
    }

    /**
     * 200 when any instance's listing could be used ({@code ok}, {@code stale}, or a {@code timeout} that brought the
     * rooms read so far), even with no rooms; else 502.
     */
    @JsonIgnore
    public int httpStatus() {
        return providers.stream().anyMatch(FleetDocument::listed) ? 200 : 502;
    }

    private static boolean listed(ProviderResult result) {
        return result.status() == ProviderStatus.OK || result.status() == ProviderStatus.STALE
                || result.error() != null && ProviderError.LISTING_PARTIAL.equals(result.error().code());
    }
}
