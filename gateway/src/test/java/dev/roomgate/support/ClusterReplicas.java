package dev.roomgate.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.roomgate.RoomgateApplication;

/**
 * Several Roomgate replicas in cluster mode, each a whole application on its own ports, sharing one Redis and one
 * set of provider emulators: what a Deployment with several pods is, in one test JVM.
 */
public final class ClusterReplicas implements AutoCloseable {

    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

    private ClusterReplicas() {
    }

    /** @param extra further {@code --key=value} arguments for every replica */
    public static ClusterReplicas start(int count, RedisServerProcess redis, ProviderEmulators emulators,
            String... extra) {
        ClusterReplicas cluster = new ClusterReplicas();
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                    "--spring.profiles.active=text-logs", "--roomgate.cluster.enabled=true",
                    "--roomgate.cluster.expected-replicas=" + count, "--spring.data.redis.host=127.0.0.1",
                    "--spring.data.redis.port=" + redis.port(),
                    // Two replicas, the emulators and the load share one test JVM on two cores, where a Redis round
                    // trip now and then takes longer than the production default while a core is busy elsewhere.
                    // A stopped Redis is refused at once whatever the timeout. (The shared window is longer by as
                    // much, so the quota's throughput is lower here than with the defaults.)
                    "--roomgate.cluster.redis-timeout=250ms", "--roomgate.cluster.lease-for=300ms"));
            args.addAll(List.of(extra));
            cluster.replicas.add(new SpringApplicationBuilder(RoomgateApplication.class)
                .initializers(new OwnNettyResources())
                .initializers(context -> context.getEnvironment().getPropertySources()
                    .addLast(new MapPropertySource("emulators", new LinkedHashMap<String, Object>(
                            emulators.roomgateProperties()))))
                .run(args.toArray(String[]::new)));
        }
        return cluster;
    }

    public int size() {
        return replicas.size();
    }

    public int port(int replica) {
        return Integer.parseInt(replicas.get(replica).getEnvironment().getProperty("local.server.port"));
    }

    public int managementPort(int replica) {
        return Integer.parseInt(replicas.get(replica).getEnvironment().getProperty("local.management.port"));
    }

    public MeterRegistry meters(int replica) {
        return replicas.get(replica).getBean(MeterRegistry.class);
    }

    /** A meter's value at one replica (a gauge's value, or a counter's count), 0 when it was never registered. */
    public double meter(int replica, String name, Map<String, String> tags) {
        var search = meters(replica).find(name);
        tags.forEach(search::tag);
        var meter = search.meter();
        if (meter == null) {
            return 0;
        }
        return meter.measure().iterator().next().getValue();
    }

    /** Stops one replica as a process that is killed would, for what Redis holds of it (its leases run out). */
    public void stop(int replica) {
        replicas.get(replica).close();
    }

    @Override
    public void close() {
        replicas.forEach(ConfigurableApplicationContext::close);
    }
}
