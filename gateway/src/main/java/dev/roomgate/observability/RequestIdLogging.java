package dev.roomgate.observability;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;

/**
 * Puts the request id on every log line written while a request is handled, on whatever thread writes it: the id
 * travels in the Reactor context, and with automatic context propagation ({@code spring.reactor.context-propagation:
 * auto}) this accessor restores it into the logging MDC around each operator.
 */
public final class RequestIdLogging {

    /** The MDC key, and the Reactor context key. */
    public static final String KEY = "requestId";

    private static volatile boolean registered;

    private RequestIdLogging() {
    }

    public static synchronized void register() {
        if (!registered) {
            ContextRegistry.getInstance()
                .registerThreadLocalAccessor(KEY, () -> MDC.get(KEY), value -> MDC.put(KEY, value),
                        () -> MDC.remove(KEY));
            registered = true;
        }
    }
}
