package dev.roomgate.aggregate;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.config.RoomgateProperties;

@Configuration(proxyBeanMethods = false)
class AggregateConfiguration {

    @Bean
    RoomAggregator roomAggregator(RoomgateProperties properties, InstanceLookups lookups, Clock clock) {
        return new RoomAggregator(properties.aggregate().timeout(), lookups, clock);
    }
}
