package dev.roomgate.cache;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.RoomgateProperties;

@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean
    InstanceLookups instanceLookups(RoomgateProperties properties, ObjectProvider<RoomFetcher> fetcher,
            MeterRegistry meters, Ticker ticker) {
        if (!properties.cache().enabled()) {
            return InstanceLookups.direct();
        }
        // In cluster mode the fetcher shares a fetch with the other replicas; on one node it fetches alone.
        return new RoomCache(properties.cache(), fetcher.getIfAvailable(RoomFetcher::alone), new CacheMeters(meters),
                ticker);
    }
}
