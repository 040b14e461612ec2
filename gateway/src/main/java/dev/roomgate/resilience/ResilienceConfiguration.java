package dev.roomgate.resilience;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.config.ProviderInstances;

@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean
    InstanceGuards instanceGuards(ProviderInstances instances, ObjectProvider<SharedQuotas> shared,
            MeterRegistry meters) {
        return new InstanceGuards(instances.enabled(), shared.getIfAvailable(SharedQuotas::none), meters,
                System::nanoTime);
    }

    @Bean
    UpstreamCalls upstreamCalls(InstanceGuards guards, MeterRegistry meters) {
        return new UpstreamCalls(guards, new CallMeters(meters));
    }
}
