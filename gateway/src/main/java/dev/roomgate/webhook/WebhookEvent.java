package dev.roomgate.webhook;

import java.util.Objects;

import dev.roomgate.schema.ProviderType;

/**
 * A provider's webhook, verified: a hint that a room changed, never the room's new state (contract 2.4: the room is
 * re-read from the provider, so a lost, repeated or reordered webhook leaves no wrong answer behind).
 *
 * @param instance the provider instance it came from, as configured
 * @param provider that instance's type
 * @param roomId the room it is about, as the provider names it (plugNmeet {@code room.room_id}, VideoSDK
 *        {@code data.meetingId}, Tencent {@code RoomId} or {@code RoomInfo.RoomId}): the id {@code /v1/rooms/{id}}
 *        looks up
 * @param type the provider's own event name ({@code participant_joined}, {@code participant-left},
 *        {@code Live.CallbackAfterDestroyRoom}, ...)
 * @param dedupeKey equal for deliveries of the same event (a provider's retry), different otherwise as far as the
 *        provider lets us tell; see each verifier for what it is made of
 * @param roomEnded whether the event says the room is over (plugNmeet {@code room_finished}/{@code session_ended},
 *        VideoSDK {@code session-ended}, Tencent {@code Live.CallbackAfterDestroyRoom})
 */
public record WebhookEvent(String instance, ProviderType provider, String roomId, String type, String dedupeKey,
        boolean roomEnded) implements WebhookVerdict {

    public WebhookEvent {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dedupeKey, "dedupeKey");
    }
}
