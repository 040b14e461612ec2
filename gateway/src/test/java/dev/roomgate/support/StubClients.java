package dev.roomgate.support;

import java.net.URI;
import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderType;

/** Provider clients for tests of what happens before any provider is asked: calling one fails the test. */
public final class StubClients {

    private StubClients() {
    }

    public static ProviderClient neverCalled(String name) {
        ProviderInstance instance = new ProviderInstance(name, ProviderType.PLUGNMEET, URI.create("http://x"), true,
                Duration.ofSeconds(1), 200, 1000, ProviderInstance.RetryPolicy.defaults(1),
                ProviderInstance.BreakerPolicy.defaults(), 100, new ProviderCredentials.PlugNmeet("k", Secret.of("s")));
        return new ProviderClient() {
            @Override
            public ProviderInstance instance() {
                return instance;
            }

            @Override
            public Mono<dev.roomgate.aggregate.RoomListing> listRooms(CallBudget budget,
                    dev.roomgate.aggregate.ListingProgress progress) {
                return Mono.error(new AssertionError("validation must never call a provider"));
            }

            @Override
            public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
                return Mono.error(new AssertionError("validation must never call a provider"));
            }
        };
    }
}
