package dev.roomgate.support;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.config.ApiKeys;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.VideoSdkEmulator;

/**
 * One emulator per provider type, loaded with the demo rooms, and the Roomgate configuration that points at them.
 * Shared by the integration tests and the demo launcher, so the demo shows exactly what the tests check.
 */
public final class ProviderEmulators implements AutoCloseable {

    public static final String PLUGNMEET = "plugnmeet-demo";

    public static final String TENCENT = "tencent-demo";

    public static final String VIDEOSDK = "videosdk-demo";

    /** The demo's and the tests' client key: every permission. Only its hash goes into the configuration. */
    public static final String API_KEY = "roomgate-demo-key-7f3c9a1e5b";

    public final PlugNmeetEmulator plugNmeet;

    public final TencentEmulator tencent;

    public final VideoSdkEmulator videoSdk;

    private ProviderEmulators(PlugNmeetEmulator plugNmeet, TencentEmulator tencent, VideoSdkEmulator videoSdk) {
        this.plugNmeet = plugNmeet;
        this.tencent = tencent;
        this.videoSdk = videoSdk;
    }

    private static final class Shared {
        static final ProviderEmulators INSTANCE = start();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "emulators-close"));
        }
    }

    /**
     * The emulators every shared test context points at: started on first use, once per JVM, and closed when the JVM
     * ends. Whoever uses them leaves them as found ({@link #reset()}); a test never closes them.
     */
    public static ProviderEmulators shared() {
        return Shared.INSTANCE;
    }

    /** Starts the three emulators on ephemeral ports with the demo rooms. */
    public static ProviderEmulators start() {
        PlugNmeetEmulator plugNmeet = new PlugNmeetEmulator(DemoRooms.PLUGNMEET_API_KEY,
                DemoRooms.PLUGNMEET_API_SECRET).start();
        TencentEmulator tencent = new TencentEmulator(DemoRooms.TENCENT_SDK_APP_ID, DemoRooms.TENCENT_IDENTIFIER,
                DemoRooms.TENCENT_SECRET_KEY).start();
        VideoSdkEmulator videoSdk = new VideoSdkEmulator(DemoRooms.VIDEOSDK_API_KEY, DemoRooms.VIDEOSDK_SECRET)
            .start();
        DemoRooms.install(plugNmeet, tencent, videoSdk);
        return new ProviderEmulators(plugNmeet, tencent, videoSdk);
    }

    /** {@code roomgate.providers.*} for the three demo instances, in this order. */
    public Map<String, String> roomgateProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        String p = "roomgate.providers." + PLUGNMEET + ".";
        properties.put(p + "type", "plugnmeet");
        properties.put(p + "base-url", plugNmeet.baseUrl());
        properties.put(p + "credentials.api-key", DemoRooms.PLUGNMEET_API_KEY);
        properties.put(p + "credentials.api-secret", DemoRooms.PLUGNMEET_API_SECRET);
        String t = "roomgate.providers." + TENCENT + ".";
        properties.put(t + "type", "tencent");
        properties.put(t + "base-url", tencent.baseUrl());
        properties.put(t + "credentials.sdk-app-id", Long.toString(DemoRooms.TENCENT_SDK_APP_ID));
        properties.put(t + "credentials.identifier", DemoRooms.TENCENT_IDENTIFIER);
        properties.put(t + "credentials.secret-key", DemoRooms.TENCENT_SECRET_KEY);
        String v = "roomgate.providers." + VIDEOSDK + ".";
        properties.put(v + "type", "videosdk");
        properties.put(v + "base-url", videoSdk.baseUrl());
        properties.put(v + "credentials.api-key", DemoRooms.VIDEOSDK_API_KEY);
        properties.put(v + "credentials.secret", DemoRooms.VIDEOSDK_SECRET);
        properties.put("roomgate.security.api-keys[0].name", "demo");
        properties.put("roomgate.security.api-keys[0].sha256", HexFormat.of().formatHex(ApiKeys.sha256(API_KEY)));
        properties.put("roomgate.security.api-keys[0].permissions", "rooms,participants,providers");
        return properties;
    }

    /** Points a Spring test context at these emulators, on ephemeral main and management ports. */
    public void register(DynamicPropertyRegistry registry) {
        roomgateProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("management.server.port", () -> "0");
    }

    /** A client for the Roomgate server a test started, with a bounded wait for each answer. */
    public static WebTestClient clientFor(int port) {
        return WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("X-API-Key", API_KEY)
            .responseTimeout(Duration.ofSeconds(10))
            .build();
    }

    public int totalCalls() {
        return plugNmeet.totalCalls() + tencent.totalCalls() + videoSdk.totalCalls();
    }

    public void reset() {
        for (var emulator : new dev.roomgate.emulator.ProviderEmulator<?>[] { plugNmeet, tencent, videoSdk }) {
            emulator.clearFaults();
            emulator.resetCalls();
        }
    }

    @Override
    public void close() {
        plugNmeet.close();
        tencent.close();
        videoSdk.close();
    }
}
