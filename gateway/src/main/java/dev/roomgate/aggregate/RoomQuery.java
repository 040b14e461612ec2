package dev.roomgate.aggregate;

/**
 * @param roomId an already validated room id
 * @param includeParticipants whether participant lists are wanted (and their listing calls made)
 */
public record RoomQuery(String roomId, boolean includeParticipants) {
}
