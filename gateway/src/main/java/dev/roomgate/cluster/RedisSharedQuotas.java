package dev.roomgate.cluster;

import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.RoomgateProperties.ClusterProperties;
import dev.roomgate.resilience.SharedQuota;
import dev.roomgate.resilience.SharedQuotas;

/** Every instance's quota shared through Redis, one sliding log per instance name. */
record RedisSharedQuotas(RedisScripts scripts, RedisLink link, ClusterProperties cluster, String replica,
        MeterRegistry meters, LongSupplier nanoTime) implements SharedQuotas {

    @Override
    public int replicas() {
        return cluster.expectedReplicas();
    }

    @Override
    public SharedQuota of(ProviderInstance instance) {
        RedisQuota.Settings settings = new RedisQuota.Settings(instance.requestsPerSecond(),
                cluster.expectedReplicas(), cluster.leaseFor(), cluster.maxLease());
        RedisQuota quota = new RedisQuota(scripts, link, settings, scripts.key("quota", instance.name(), ""), replica,
                nanoTime);
        Gauge.builder("roomgate.cluster.quota.share", quota, shared -> shared.share().limit())
            .description("Calls per sliding second this replica keeps to while Redis cannot be reached")
            .tag("provider", instance.name())
            .register(meters);
        return quota;
    }
}
