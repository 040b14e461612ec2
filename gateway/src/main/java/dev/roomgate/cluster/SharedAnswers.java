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
            return json.writeValueAsString(new SharedAnswer(null, notFound.reason()));
        }
        return null;
    }

    /** @throws tools.jackson.core.JacksonException when the text is not a shared answer */
    Fetched decode(String text) {
        SharedAnswer answer = json.readValue(text, SharedAnswer.class);
        RoomLookup lookup = answer.room() != null ? new RoomLookup.Found(answer.room())
                : new RoomLookup.NotFound(answer.notFound() == null ? "" : answer.notFound());
        return new Fetched(lookup, null, null, 0);
    }
}
