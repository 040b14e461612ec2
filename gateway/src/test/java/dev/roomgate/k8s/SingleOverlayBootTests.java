package dev.roomgate.k8s;

/** The single overlay's Deployment: one replica, no Redis. */
class SingleOverlayBootTests extends DeploymentBoot {

    @Override
    String overlay() {
        return "single";
    }
}
