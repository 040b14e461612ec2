package dev.roomgate.webhook;

/**
 * In cluster mode, how a verified webhook taken by one replica reaches the others, whose kept answers and watch
 * loops it concerns as much. A hint like the webhook itself: a lost relay only means the others see the change at
 * their next read.
 */
public interface RoomChangeRelay {

    /** Tells the other replicas; never blocks, never fails the webhook. */
    void publish(WebhookEvent event);

    /** From now on, the other replicas' verified webhooks are told to {@code local}, as if taken here. */
    void deliverTo(RoomChanged local);
}
