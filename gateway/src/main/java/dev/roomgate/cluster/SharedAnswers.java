package dev.roomgate.cluster;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.aggregate.Outcome;
import dev.roomgate.schema.Room;

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
    String encode(Outcome outcome) {
        if (outcome instanceof Outcome.Found found) {
            return json.writeValueAsString(new SharedAnswer(found.room(), null));
        }
        if (outcome instanceof Outcome.NotFound notFound) {
            return json.writeValueAsString(new SharedAnswer(null, notFound.reason() == null ? "" : notFound.reason()));
        }
        return null;
    }

    /**
     * @throws tools.jackson.core.JacksonException when the text is not JSON of this form
     * @throws IllegalArgumentException when it is, but not a shared answer: exactly one of a room (with its ids) or a
     *         reason must be there, so that an empty or foreign object never reads as "not found"
     */
    Outcome decode(String text) {
        SharedAnswer answer = json.readValue(text, SharedAnswer.class);
        if (answer == null || (answer.room() == null) == (answer.notFound() == null)) {
            throw new IllegalArgumentException("neither a room nor a reason, or both");
        }
        Room room = answer.room();
        if (room != null && (room.provider() == null || room.providerType() == null || room.roomId() == null)) {
            throw new IllegalArgumentException("a room without its ids");
        }
        return room != null ? new Outcome.Found(room) : new Outcome.NotFound(answer.notFound());
    }
}
