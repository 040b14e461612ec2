package dev.roomgate.support;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;


import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.provider.CallPolicy;
import dev.roomgate.provider.ProviderClients;
import dev.roomgate.provider.UpstreamHttp;
import dev.roomgate.resilience.CallMeters;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.resilience.ResilientCallPolicy;
import dev.roomgate.schema.ProviderType;

/** Builds a real provider client against an emulator, without a Spring context. */
public final class ClientHarness {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    private ClientHarness() {
    }

    public static ProviderInstance instance(String name, ProviderType type, String baseUrl, int maxAttempts,
            ProviderCredentials credentials) {
        return new ProviderInstance(name, type, URI.create(baseUrl), true, TIMEOUT, 200,
                1000, ProviderInstance.RetryPolicy.defaults(maxAttempts), ProviderInstance.BreakerPolicy.defaults(), 100,
                credentials);
    }

    public static ProviderClient client(ProviderInstance instance, int maxBodyBytes) {
        return client(instance, maxBodyBytes, Clock.systemUTC());
    }

    /** @param clock what the client mints its credentials (UserSig, JWT) by */
    public static ProviderClient client(ProviderInstance instance, Clock clock) {
        return client(instance, 4 * 1024 * 1024, clock);
    }

    private static ProviderClient client(ProviderInstance instance, int maxBodyBytes, Clock clock) {
        // The production HTTP setup, on a fresh connection per call so tests share no pooled state.
        UpstreamHttp http = UpstreamHttp.create(instance, maxBodyBytes, ConnectionProvider.newConnection());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CallPolicy calls = ResilientCallPolicy
            .factory(new InstanceGuards(List.of(instance), meters, Ticker.system()::nanoTime), new CallMeters(meters))
            .forInstance(instance);
        return ProviderClients.create(instance, http, calls, JSON, clock);
    }

    public static ProviderClient client(ProviderInstance instance) {
        return client(instance, 4 * 1024 * 1024);
    }

    /** The lookup, with the budget it ran in so tests can read the retry count. */
    public record Run(Mono<Outcome> lookup, CallBudget budget) {
    }

    public static Run fetch(ProviderClient client, String roomId, boolean participants) {
        return fetch(client, roomId, participants, TIMEOUT);
    }

    /** @param time the lookup's budget: longer, for a test about waits that a loaded machine must not crowd out */
    public static Run fetch(ProviderClient client, String roomId, boolean participants, Duration time) {
        CallBudget budget = CallBudget.start(Ticker.system(), time);
        return new Run(client.fetchRoom(new RoomQuery(roomId, participants), budget), budget);
    }
}
