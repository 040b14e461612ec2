package dev.roomgate.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

import org.springframework.context.annotation.Configuration;

/**
 * A failure that arrives after its subscriber has left (a request cancelled by its client or its budget, a quota
 * refusal racing that cancellation) reaches nobody. Reactor's default logs each at ERROR with a stack trace, which
 * under load reads like an outage; it is logged once, briefly, at DEBUG instead.
 */
@Configuration(proxyBeanMethods = false)
class DroppedErrors {

    private static final Logger log = LoggerFactory.getLogger(DroppedErrors.class);

    DroppedErrors() {
        Hooks.onErrorDropped(error -> log.debug("failure after its subscriber left: {}", error.getClass().getName()));
    }
}
