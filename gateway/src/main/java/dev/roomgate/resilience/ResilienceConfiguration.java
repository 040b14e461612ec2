package dev.roomgate.resilience;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.provider.CallPolicy;

@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean
    InstanceGuards instanceGuards(ProviderInstances instances, ObjectProvider<SharedQuotas> shared,
            MeterRegistry meters, Ticker ticker) {
        return new InstanceGuards(instances.enabled(), shared.getIfAvailable(SharedQuotas::none), meters,
                ticker::nanoTime);
    }

    @Bean
    CallPolicy.Factory callPolicies(InstanceGuards guards, MeterRegistry meters) {
        return ResilientCallPolicy.factory(guards, new CallMeters(meters));
    }
}
