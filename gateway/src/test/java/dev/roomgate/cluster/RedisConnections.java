package dev.roomgate.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** A Lettuce connection set up the way cluster mode sets up its own, for tests that drive the cluster parts alone. */
final class RedisConnections implements AutoCloseable {

    private final LettuceConnectionFactory factory;

    private final ClientResources resources;

    final ReactiveStringRedisTemplate template;

    RedisConnections(int port) {
        this(port, Duration.ofSeconds(1), ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /**
     * @param commandTimeout Lettuce's own bound on a command, beside the one Roomgate sets on each call
     * @param whileDisconnected whether commands sent while Lettuce reconnects fail at once or wait for it
     */
    RedisConnections(int port, Duration commandTimeout, ClientOptions.DisconnectedBehavior whileDisconnected) {
        resources = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
            .clientResources(resources)
            .clientOptions(ClientOptions.builder()
                .disconnectedBehavior(whileDisconnected)
                .build())
            .commandTimeout(commandTimeout)
            .build();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port), client);
        factory.afterPropertiesSet();
        factory.start();
        template = new ReactiveStringRedisTemplate(factory);
    }

    @Override
    public void close() {
        factory.destroy();
        resources.shutdown();
    }
}
