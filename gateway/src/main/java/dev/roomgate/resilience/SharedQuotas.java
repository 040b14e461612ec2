package dev.roomgate.resilience;

import dev.roomgate.config.ProviderInstance;

/** Where each instance's {@link SharedQuota} comes from: nowhere on one node, Redis in cluster mode. */
@FunctionalInterface
public interface SharedQuotas {

    SharedQuota of(ProviderInstance instance);

    /**
     * How many replicas may call an instance at once: a limit this replica keeps alone (the room listing's own)
     * is that limit divided by this, so that together they stay within it.
     */
    default int replicas() {
        return 1;
    }

    static SharedQuotas none() {
        return instance -> SharedQuota.NONE;
    }
}
