package dev.roomgate.watch;

/**
 * One event of a room's stream.
 *
 * @param id increasing within the room's loop (and across its restarts), so a client's {@code Last-Event-ID} says
 *        what it has seen; null for the final {@code error} event, which a reconnect must not resume from
 * @param data the JSON object of the event's {@code data}: a {@link dev.roomgate.schema.RoomDocument} for a
 *        snapshot, else one of {@link Change}'s records
 */
public record WatchEvent(Long id, WatchEventType type, Object data) {
}
