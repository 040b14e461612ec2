package dev.roomgate.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomgate.aggregate.InstanceLookups;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.FleetProperties;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.ProviderInstances;

@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

    @Bean
    FleetListings fleetListings(FleetProperties properties, ObjectProvider<ListingReader> reader,
            InstanceLookups lookups, Ticker ticker, MeterRegistry meters) {
        // In cluster mode the reader shares one read with the other replicas; on one node it reads alone.
        return new FleetListings(properties, reader.getIfAvailable(ListingReader::alone), lookups, ticker, meters);
    }

    @Bean
    FleetCursor fleetCursor(ProviderInstances instances) {
        return new FleetCursor(cursorKey(instances));
    }

    @Bean
    FleetAggregator fleetAggregator(FleetListings listings, FleetCursor cursors, ProviderInstances instances,
            Clock clock, Ticker ticker) {
        return new FleetAggregator(listings, cursors, instances.all().stream().map(ProviderInstance::name).toList(),
                clock, ticker);
    }

    /**
     * The cursor key, from what every replica of a deployment shares and no client knows: the instances'
     * secrets. So a cursor one replica wrote reads on any other, with no key to configure or rotate; rotating a
     * provider secret makes old cursors a 400, and a dashboard starts again from its first page.
     */
    static byte[] cursorKey(ProviderInstances instances) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("roomgate fleet cursor v1".getBytes(StandardCharsets.UTF_8));
            for (ProviderInstance instance : instances.all()) {
                digest.update((byte) 0);
                digest.update(instance.name().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(secret(instance.credentials()));
            }
            return digest.digest();
        }
        catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("SHA-256 is part of every JDK", unavailable);
        }
    }

    private static byte[] secret(ProviderCredentials credentials) {
        if (credentials instanceof ProviderCredentials.PlugNmeet plugNmeet) {
            return plugNmeet.apiSecret().utf8();
        }
        if (credentials instanceof ProviderCredentials.Tencent tencent) {
            return tencent.secretKey().utf8();
        }
        return ((ProviderCredentials.VideoSdk) credentials).secret().utf8();
    }
}
