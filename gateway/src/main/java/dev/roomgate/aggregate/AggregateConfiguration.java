package dev.roomgate.aggregate;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.config.RoomgateProperties;

@Configuration(proxyBeanMethods = false)
class AggregateConfiguration {

    /** The monotonic clock every deadline, freshness and quota reads; tests may put their own in its place. */
    @Bean
    Ticker ticker() {
        return Ticker.system();
    }

    @Bean
    RoomAggregator roomAggregator(RoomgateProperties properties, InstanceLookups lookups, Clock clock,
            Ticker ticker) {
        return new RoomAggregator(properties.aggregate().timeout(), lookups, clock, ticker);
    }
}
