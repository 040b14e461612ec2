package dev.roomgate.watch;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.Room;

/**
 * One change between two consecutive room documents, as an event's type and {@code data} (contract 2.3).
 *
 * @param data one of this interface's records, serialized as the event's JSON object
 */
public record Change(WatchEventType type, Object data) {

    /** Room fields changed at one instance; the participant list is left out (participant events say it). */
    public record RoomData(String provider,
            @JsonIgnoreProperties({ "participants", "participantsComplete" }) Room room) {
    }

    public record ParticipantData(String provider, Participant participant) {
    }

    /** Every selected instance's result, after a status among them changed. */
    public record ProvidersData(List<ProviderResult> providers) {
    }

    public record EndedData(String provider) {
    }

    /** Why the server ends the stream. */
    public record ErrorData(String code, String message) {
    }

    static Change room(String provider, Room room) {
        return new Change(WatchEventType.ROOM, new RoomData(provider, room));
    }

    static Change participant(WatchEventType type, String provider, Participant participant) {
        return new Change(type, new ParticipantData(provider, participant));
    }

    static Change providers(List<ProviderResult> providers) {
        return new Change(WatchEventType.PROVIDERS, new ProvidersData(providers));
    }

    static Change ended(String provider) {
        return new Change(WatchEventType.ROOM_ENDED, new EndedData(provider));
    }
}
