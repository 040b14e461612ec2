package dev.roomgate.webhook;

/**
 * Told of every verified, first-seen webhook: the seam through which a webhook marks a room's cached answers out of
 * date and wakes its watch loop. Called on the request's thread, so an implementation only records and returns; it
 * must not block or throw (a throw is logged and does not keep the other listeners from being told).
 */
@FunctionalInterface
public interface RoomChanged {

    void changed(WebhookEvent event);
}
