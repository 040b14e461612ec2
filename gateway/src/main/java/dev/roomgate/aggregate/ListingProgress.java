package dev.roomgate.aggregate;

import java.util.Collection;
import java.util.List;

import dev.roomgate.schema.Room;

/**
 * How far a paged room listing has been read: written by the read after each page, read by the requests that
 * could not wait for its end, so that a big fleet is served as far as it got (contract 2.1) instead of not at all.
 * A listing of one call has nothing to tell here.
 */
public final class ListingProgress {

    /**
     * @param rooms every room read so far, each once
     * @param pages the pages they came from
     */
    public record SoFar(List<Room> rooms, int pages) {
    }

    private volatile SoFar soFar = new SoFar(List.of(), 0);

    /** A page was read; {@code rooms} is every room read so far, this page's included. */
    public void read(Collection<Room> rooms) {
        // Copied: the read goes on changing its own collection while another request reads this one.
        soFar = new SoFar(List.copyOf(rooms), soFar.pages() + 1);
    }

    public SoFar soFar() {
        return soFar;
    }
}
