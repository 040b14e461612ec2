package dev.roomgate.api;

import java.util.List;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.resilience.InstanceGuard;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.schema.ProviderType;

/**
 * The answer to {@code GET /v1/providers}: every configured instance with its live state. Names, types and state
 * only: no URL, no credential.
 *
 * @param providers in declared order
 */
record ProviderListing(List<Entry> providers) {

    /**
     * @param circuitBreaker {@code closed}, {@code open}, {@code half_open} (or another Resilience4j state, lower
     *        case); null for a disabled instance
     * @param quota null for a disabled instance
     */
    record Entry(String provider, ProviderType providerType, boolean enabled, long timeoutMs, String circuitBreaker,
            Quota quota) {
    }

    /**
     * @param limit calls allowed per sliding second
     * @param available calls that could start right now
     * @param waiting calls waiting for a permit right now
     */
    record Quota(int limit, int available, int waiting) {
    }

    static ProviderListing of(ProviderInstances instances, InstanceGuards guards) {
        return new ProviderListing(instances.all().stream().map(instance -> entry(instance, guards)).toList());
    }

    private static Entry entry(ProviderInstance instance, InstanceGuards guards) {
        InstanceGuard guard = instance.enabled() ? guards.find(instance.name()) : null;
        if (guard == null) {
            return new Entry(instance.name(), instance.type(), instance.enabled(), instance.timeout().toMillis(), null,
                    null);
        }
        String state = guard.breakerState();
        Quota quota = new Quota(guard.quota().limit(), guard.quota().available(), guard.meters().callsWaiting());
        return new Entry(instance.name(), instance.type(), true, instance.timeout().toMillis(), state, quota);
    }
}
