package dev.roomgate.cluster;

import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.RoomgateProperties.ClusterProperties;
import dev.roomgate.resilience.SharedQuota;
import dev.roomgate.resilience.SharedQuotas;

/** Every instance's quota shared through Redis, one sliding log per instance name. */
final class RedisSharedQuotas implements SharedQuotas {

    private final RedisScripts scripts;

    private final RedisLink link;

    private final ClusterProperties cluster;

    private final String replica;

    private final LongSupplier nanoTime;

    private final MeterRegistry meters;

    RedisSharedQuotas(RedisScripts scripts, RedisLink link, ClusterProperties cluster, String replica,
            MeterRegistry meters, LongSupplier nanoTime) {
        this.meters = meters;
        this.scripts = scripts;
        this.link = link;
        this.cluster = cluster;
        this.replica = replica;
        this.nanoTime = nanoTime;
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
