package dev.roomgate.provider;

/**
 * Hears when an upstream request has really gone out, headers and body written. A call can start on its quota
 * permit and still reach the wire much later (a connection to open, a cold client, a busy event loop); the
 * {@link CallPolicy} puts one of these into the Reactor context of each attempt, so that its quota counts the call
 * from when it was sent, and calls that went out late do not bunch with the next ones at the provider.
 */
@FunctionalInterface
public interface RequestSent {

    /** The Reactor context key of an attempt's listener. */
    Class<RequestSent> KEY = RequestSent.class;

    void sent();

    /** This listener, then {@code next} (an enclosing stage's, or null). */
    default RequestSent andThen(RequestSent next) {
        if (next == null) {
            return this;
        }
        return () -> {
            sent();
            next.sent();
        };
    }
}
