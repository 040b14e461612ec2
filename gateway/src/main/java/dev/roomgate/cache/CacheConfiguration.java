package dev.roomgate.cache;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.config.RoomgateProperties;

@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean
    InstanceLookups instanceLookups(RoomgateProperties properties, MeterRegistry meters) {
        if (!properties.cache().enabled()) {
            return InstanceLookups.direct();
        }
        return new RoomCache(properties.cache(), new CacheMeters(meters), System::nanoTime);
    }
}
