package dev.roomgate.k8s;

/**
 * The cluster overlay's Deployment, with its cluster-mode environment and the Redis password from its Secret, and
 * no Redis reachable: Redis is not part of readiness, so a replica must start, be ready and answer on its own.
 */
class ClusterOverlayBootTests extends DeploymentBoot {

    @Override
    String overlay() {
        return "cluster";
    }
}
