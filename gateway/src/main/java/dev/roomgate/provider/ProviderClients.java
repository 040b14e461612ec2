package dev.roomgate.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.roomgate.aggregate.ProviderClient;

/** The client of every enabled instance, in configured order. */
public final class ProviderClients {

    private final Map<String, ProviderClient> enabled = new LinkedHashMap<>();

    public ProviderClients(List<ProviderClient> clients) {
        clients.forEach(client -> enabled.put(client.instance().name(), client));
    }

    public List<ProviderClient> enabled() {
        return List.copyOf(enabled.values());
    }

    public Optional<ProviderClient> enabled(String name) {
        return Optional.ofNullable(enabled.get(name));
    }
}
