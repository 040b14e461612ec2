package dev.roomgate.cache;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.ProviderEmulator;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.VideoSdkEmulator;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RoomgateIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single-flight through the public API, independent of how fast the machine is: the providers hold their answer
 * until the gateway has taken in every request, so all of them meet one lookup in flight. Freshness, attempt
 * timeout and request budget are far longer than any run, so neither a late arrival nor a slow box can start a
 * second call (a retry after an attempt timeout, or a lookup after freshness ran out).
 */
class CacheHerdEndToEndTests extends RoomgateIntegrationTest {

    static final int HERD = 200;

    /** Only a bound on a broken run: a passing one is released as soon as the gateway has all requests. */
    static final Duration AT_MOST = Duration.ofSeconds(60);

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("roomgate.cache.fresh-for", () -> "1h");
        registry.add("roomgate.cache.not-found-for", () -> "1h");
        registry.add("roomgate.aggregate.timeout", () -> "2m");
        for (String instance : List.of(ProviderEmulators.PLUGNMEET, ProviderEmulators.TENCENT,
                ProviderEmulators.VIDEOSDK)) {
            registry.add("roomgate.providers." + instance + ".timeout", () -> "2m");
            registry.add("roomgate.providers." + instance + ".retry.attempt-timeout", () -> "2m");
        }
    }

    @Test
    void twoHundredConcurrentIdenticalRequestsCallEachProviderApiOnce() {
        List<ProviderEmulator<?>> providers = List.of(emulators.plugNmeet, emulators.tencent, emulators.videoSdk);
        providers.forEach(ProviderEmulator::hold);
        ConnectionProvider connections = ConnectionProvider.builder("herd").maxConnections(HERD).build();
        HttpClient http = HttpClient.create(connections).baseUrl("http://localhost:" + port)
            .headers(headers -> headers.set("X-API-Key", ProviderEmulators.API_KEY));
        try {
            Mono<List<Integer>> herd = Flux.range(0, HERD)
                .flatMap(i -> http.get().uri("/v1/rooms/" + DemoRooms.TOWN_HALL)
                    .responseSingle((response, body) -> body.asByteArray().thenReturn(response.status().code())),
                        HERD)
                .collectList()
                .cache();
            herd.subscribe();

            // Every request has reached every instance's cache while the providers still hold their answers.
            waitUntil(() -> lookups(ProviderEmulators.PLUGNMEET) == HERD && lookups(ProviderEmulators.TENCENT) == HERD
                    && lookups(ProviderEmulators.VIDEOSDK) == HERD);
            assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(1);
            assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO)).isEqualTo(1);
            assertThat(emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS)).isEqualTo(1);
            providers.forEach(ProviderEmulator::release);

            assertThat(herd.block(AT_MOST)).hasSize(HERD).containsOnly(200);
        }
        finally {
            providers.forEach(ProviderEmulator::release);
            connections.dispose();
        }
        assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOM_INFO)).isEqualTo(1);
        assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_INFO)).isEqualTo(1);
        assertThat(emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS)).isEqualTo(1);
        assertThat(emulators.videoSdk.calls(VideoSdkEmulator.ACTIVE_PARTICIPANTS)).isEqualTo(1);
        for (String instance : List.of(ProviderEmulators.PLUGNMEET, ProviderEmulators.TENCENT,
                ProviderEmulators.VIDEOSDK)) {
            assertThat(cacheResults(instance, "miss")).as(instance + ": lookups started").isEqualTo(1);
            // A request counted just before the answer landed may find it stored instead of joining the flight.
            assertThat(cacheResults(instance, "coalesced") + cacheResults(instance, "hit"))
                .as(instance + ": lookups served by that one").isEqualTo(HERD - 1);
        }
    }

    private double lookups(String instance) {
        return meters.find("roomgate.room.lookups").tag("provider", instance).counters().stream()
            .mapToDouble(Counter::count).sum();
    }

    private double cacheResults(String instance, String result) {
        return meters.find("roomgate.cache.lookups").tag("provider", instance).tag("result", result).counters()
            .stream().mapToDouble(Counter::count).sum();
    }

    /** Polls until the condition holds; the bound only stops a broken run, it never decides a passing one. */
    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        Flux.interval(Duration.ZERO, Duration.ofMillis(20))
            .filter(tick -> condition.getAsBoolean())
            .next()
            .block(AT_MOST);
    }
}
