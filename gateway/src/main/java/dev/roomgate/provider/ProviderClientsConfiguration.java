package dev.roomgate.provider;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.config.DeclaredProperties;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.config.RoomgateProperties;

/** Builds one client per enabled instance, each with its own connection pool. */
@Configuration(proxyBeanMethods = false)
class ProviderClientsConfiguration {

    @Bean
    ProviderInstances providerInstances(RoomgateProperties properties, ConfigurableEnvironment environment,
            ObjectProvider<ApplicationArguments> arguments) {
        ApplicationArguments args = arguments.getIfAvailable();
        List<String> declared = DeclaredProperties.inDeclaredOrder(environment,
                args == null ? new String[0] : args.getSourceArgs());
        ProviderInstances.checkRawNames(declared);
        return ProviderInstances.from(properties, DeclaredProperties.instanceOrder(declared));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ConnectionPools connectionPools() {
        return new ConnectionPools();
    }

    @Bean
    ProviderClients providerClients(ProviderInstances instances, RoomgateProperties properties, JsonMapper json,
            CallPolicy.Factory policies, Clock clock, ConnectionPools pools) {
        List<ProviderClient> clients = new ArrayList<>();
        for (ProviderInstance instance : instances.enabled()) {
            ConnectionProvider pool = pools.add(UpstreamHttp.connectionPool(instance));
            UpstreamHttp http = UpstreamHttp.create(instance, properties.aggregate().maxBodyBytes(), pool);
            clients.add(ProviderClients.create(instance, http, policies.forInstance(instance), json, clock));
        }
        return new ProviderClients(clients);
    }

    /** Owns the connection pools so they are closed with the application. */
    static final class ConnectionPools implements DisposableBean {

        private final List<ConnectionProvider> pools = new ArrayList<>();

        synchronized ConnectionProvider add(ConnectionProvider pool) {
            pools.add(pool);
            return pool;
        }

        @Override
        public synchronized void destroy() {
            pools.forEach(ConnectionProvider::dispose);
        }
    }
}
