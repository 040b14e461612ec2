package dev.roomgate.k8s;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster overlay's Deployment, with its cluster-mode environment and the Redis password from its Secret, and
 * no Redis reachable: Redis is not part of readiness, so a replica must start, be ready and answer on its own.
 */
class ClusterOverlayBootTests extends DeploymentBoot {

    @Override
    String overlay() {
        return "cluster";
    }

    /** The overlay's settings bind: cluster mode is on, and without Redis each quota is the replica's share. */
    @Test
    @Order(4)
    void keepsToItsShareOfEachQuotaWhileRedisIsUnreachable() throws Exception {
        awaitProbe("readinessProbe");
        int replicas = Integer.parseInt(ManifestInvariantsTests.env(container, objects).get("ROOMGATE_CLUSTER_EXPECTEDREPLICAS"));
        HttpResponse<String> scrape = get(management, "/actuator/prometheus");
        assertThat(scrape.body())
            .contains("roomgate_cluster_fallback 1.0")
            .contains("roomgate_cluster_quota_share{provider=\"tencent-sg\"} " + (200 / replicas) + ".0");
    }
}
