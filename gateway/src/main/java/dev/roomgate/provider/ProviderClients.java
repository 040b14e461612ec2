package dev.roomgate.provider;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.provider.plugnmeet.PlugNmeetClient;
import dev.roomgate.provider.tencent.TencentClient;
import dev.roomgate.provider.videosdk.VideoSdkClient;

/** The client of every enabled instance, in configured order. */
public final class ProviderClients {

    private final Map<String, ProviderClient> enabled = new LinkedHashMap<>();

    /** The client for an instance of its provider type: the one place that knows which class serves which type. */
    public static ProviderClient create(ProviderInstance instance, UpstreamHttp http, CallPolicy calls,
            JsonMapper json, Clock clock) {
        ClientParts parts = new ClientParts(instance, http, calls, json, clock);
        return switch (instance.type()) {
            case PLUGNMEET -> new PlugNmeetClient(parts);
            case TENCENT -> new TencentClient(parts);
            case VIDEOSDK -> new VideoSdkClient(parts);
        };
    }

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
