package dev.roomgate.resilience;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.config.ProviderInstances;

@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean
    InstanceGuards instanceGuards(ProviderInstances instances, MeterRegistry meters) {
        return new InstanceGuards(instances.enabled(), meters, System::nanoTime);
    }

    @Bean
    UpstreamCalls upstreamCalls(InstanceGuards guards, MeterRegistry meters) {
        return new UpstreamCalls(guards, new CallMeters(meters));
    }
}
