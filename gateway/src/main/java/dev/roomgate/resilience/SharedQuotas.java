package dev.roomgate.resilience;

import dev.roomgate.config.ProviderInstance;

/** Where each instance's {@link SharedQuota} comes from: nowhere on one node, Redis in cluster mode. */
@FunctionalInterface
public interface SharedQuotas {

    SharedQuota of(ProviderInstance instance);

    static SharedQuotas none() {
        return instance -> SharedQuota.NONE;
    }
}
