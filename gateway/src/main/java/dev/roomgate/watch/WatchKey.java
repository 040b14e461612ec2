package dev.roomgate.watch;

import java.util.List;

/**
 * What one loop watches: a room, at the instances selected, with or without participants. Watchers asking the
 * same share a loop; a caller who may not see participants gets a loop that never lists them.
 *
 * @param providers the selected instances' names, in configured order
 */
public record WatchKey(String roomId, List<String> providers, boolean participants) {

    public WatchKey {
        providers = List.copyOf(providers);
    }
}
