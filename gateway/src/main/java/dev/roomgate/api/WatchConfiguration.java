package dev.roomgate.api;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.QuotaClaim;
import dev.roomgate.aggregate.RoomAggregator;
import dev.roomgate.aggregate.RoomAnswer;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.Priority;
import dev.roomgate.config.WatchProperties;
import dev.roomgate.provider.ProviderClients;
import dev.roomgate.schema.RoomDocument;
import dev.roomgate.watch.LoopSharing;
import dev.roomgate.watch.RoomWatches;
import dev.roomgate.watch.WatchKey;

/** The watched rooms' loops, reading through the same lookups, answer cache and quota as every request. */
@Configuration(proxyBeanMethods = false)
class WatchConfiguration {

    /**
     * In whose name the loops spend provider quota: polling for watchers is background work, served after the
     * interactive lookups of a contended quota (contract 2.6), and shared by every watcher of the room.
     */
    static final QuotaClaim WATCH_CLAIM = new QuotaClaim("watch", "watch", 1, Priority.BACKGROUND);

    @Bean
    RoomWatches roomWatches(WatchProperties properties, RoomAggregator aggregator, ProviderClients clients,
            ObjectProvider<LoopSharing> sharing, Clock clock, MeterRegistry meters) {
        // In cluster mode one replica reads each watched room for all of them.
        return new RoomWatches(properties, key -> reader(key, aggregator, clients), clock, meters,
                sharing.getIfAvailable(() -> LoopSharing.ALONE));
    }

    private static Function<Boolean, Mono<RoomDocument>> reader(WatchKey key, RoomAggregator aggregator,
            ProviderClients clients) {
        List<ProviderClient> selected = key.providers().stream()
            .flatMap(name -> clients.enabled(name).stream())
            .toList();
        RoomQuery query = new RoomQuery(key.roomId(), key.participants());
        return fresh -> aggregator.aggregate(query, selected, fresh, WATCH_CLAIM, null)
            .map(RoomAnswer::document)
            // Without participants the owner is withheld too, as the room endpoint does.
            .map(document -> key.participants() ? document : document.withoutParticipants());
    }
}
