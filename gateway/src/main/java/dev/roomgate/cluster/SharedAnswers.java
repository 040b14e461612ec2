package dev.roomgate.cluster;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.aggregate.Fetched;
import dev.roomgate.aggregate.Room;
import dev.roomgate.aggregate.RoomLookup;

/**
 * The form in which one replica hands a provider's answer to the others: the normalized room, or the fact that the
 * provider does not know it. Failures are never shared: each replica judges those for itself.
 */
final class SharedAnswers {

    private final JsonMapper json = JsonMapper.builder().build();

    /** @param notFound the provider's reason, when it does not know the room */
    record SharedAnswer(Room room, String notFound) {
    }

    /** @return the text to store, or null for an answer that is not shared (a failure) */
    String encode(Fetched fetched) {
        if (fetched.lookup() instanceof RoomLookup.Found found) {
            return json.writeValueAsString(new SharedAnswer(found.room(), null));
        }
        if (fetched.lookup() instanceof RoomLookup.NotFound notFound) {
            return json.writeValueAsString(new SharedAnswer(null, notFound.reason() == null ? "" : notFound.reason()));
        }
        return null;
    }

    /**
     * @throws tools.jackson.core.JacksonException when the text is not JSON of this form
     * @throws IllegalArgumentException when it is, but not a shared answer: exactly one of a room (with its ids) or a
     *         reason must be there, so that an empty or foreign object never reads as "not found"
     */
    Fetched decode(String text) {
        SharedAnswer answer = json.readValue(text, SharedAnswer.class);
        if (answer == null || (answer.room() == null) == (answer.notFound() == null)) {
            throw new IllegalArgumentException("neither a room nor a reason, or both");
        }
        Room room = answer.room();
        if (room != null && (room.provider() == null || room.providerType() == null || room.roomId() == null)) {
            throw new IllegalArgumentException("a room without its ids");
        }
        RoomLookup lookup = room != null ? new RoomLookup.Found(room) : new RoomLookup.NotFound(answer.notFound());
        return new Fetched(lookup, null, null, 0);
    }
}
