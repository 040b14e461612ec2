package dev.roomgate.support;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.roomgate.config.ApiKeys;

/**
 * The shape without an answer cache: every request makes its own upstream calls, so a test can count them and see
 * each fault it sets. Each instance has a {@link #INSTANCE_TIMEOUT} of its own, two more API keys with narrower
 * permissions are configured, and Roomgate's own classes log at DEBUG. All classes extending this share one context.
 */
// Logging levels are read before the context, and so before any @DynamicPropertySource: they go here.
@TestPropertySource(properties = "logging.level.dev.roomgate=DEBUG")
public abstract class CacheOffIntegrationTest extends RoomgateIntegrationTest {

    public static final Duration INSTANCE_TIMEOUT = Duration.ofMillis(1000);

    public static final Duration WATCH_POLL = Duration.ofMillis(300);

    /** May read rooms, not participants. */
    public static final String VIEWER_KEY = "viewer-key-without-personal-data";

    /** May read participants, not rooms. */
    public static final String PARTICIPANTS_ONLY_KEY = "participants-only-key-4242";

    @DynamicPropertySource
    static void withoutCache(DynamicPropertyRegistry registry) {
        registry.add("roomgate.cache.enabled", () -> "false");
        // Watch loops poll often, and stop as their last watcher leaves, so none polls into another test's counts.
        registry.add("roomgate.watch.poll-interval", () -> WATCH_POLL.toMillis() + "ms");
        registry.add("roomgate.watch.linger", () -> "0s");
        registry.add("roomgate.providers." + ProviderEmulators.PLUGNMEET + ".webhook.enabled", () -> "true");
        for (String name : List.of(ProviderEmulators.PLUGNMEET, ProviderEmulators.TENCENT, ProviderEmulators.VIDEOSDK)) {
            registry.add("roomgate.providers." + name + ".timeout", () -> INSTANCE_TIMEOUT.toMillis() + "ms");
        }
        registry.add("roomgate.security.api-keys[1].name", () -> "viewer");
        registry.add("roomgate.security.api-keys[1].sha256", () -> hash(VIEWER_KEY));
        registry.add("roomgate.security.api-keys[1].permissions", () -> "rooms");
        registry.add("roomgate.security.api-keys[2].name", () -> "odd-one");
        registry.add("roomgate.security.api-keys[2].sha256", () -> hash(PARTICIPANTS_ONLY_KEY));
        registry.add("roomgate.security.api-keys[2].permissions", () -> "participants");
    }

    public static String hash(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }
}
