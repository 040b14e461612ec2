package dev.roomgate.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.roomgate.config.ProviderInstances;

/** The client of every enabled instance, in configured order. */
public final class ProviderClients {

    private final ProviderInstances instances;

    private final Map<String, ProviderClient> enabled = new LinkedHashMap<>();

    public ProviderClients(ProviderInstances instances, List<ProviderClient> clients) {
        this.instances = instances;
        clients.forEach(client -> enabled.put(client.instance().name(), client));
    }

    public List<ProviderClient> enabled() {
        return List.copyOf(enabled.values());
    }

    public Optional<ProviderClient> enabled(String name) {
        return Optional.ofNullable(enabled.get(name));
    }

    public ProviderInstances instances() {
        return instances;
    }
}
