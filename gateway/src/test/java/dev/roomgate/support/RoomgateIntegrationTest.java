package dev.roomgate.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.RoomgateApplication;

/**
 * The default shape of a Roomgate test context: the whole application on random ports, pointed at the JVM's one set
 * of {@link ProviderEmulators#shared() shared emulators}, with its answer cache on, as an operator would run it (an
 * origin list for CORS, and one instance switched off, which never answers a room).
 * <p>
 * Every class that extends this and declares no properties of its own runs in one and the same context: Spring's
 * context cache reuses it. Tests change upstream behaviour through emulator faults, never through properties; the
 * faults and call counts are reset after each test. What a shared context keeps between tests is its answer cache
 * (a room failure too, for {@code not-found-for}): a test that needs a fresh upstream call asks for a room no other
 * test asks for, or sends {@code Cache-Control: no-cache}. {@link CacheOffIntegrationTest} is the shape without a
 * cache. A class that really needs other properties adds them with {@code @TestPropertySource} or a
 * {@code @DynamicPropertySource} of its own, and so gets a context of its own.
 */
@SpringBootTest(classes = RoomgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RoomgateIntegrationTest {

    /** The only origin the default shape allows (CorsConfiguredTests). */
    public static final String ALLOWED_ORIGIN = "https://dash.example.com";

    /** A plugNmeet instance in the configuration with {@code enabled: false}. */
    public static final String DISABLED_INSTANCE = "plugnmeet-off";

    public static final String DISABLED_INSTANCE_SECRET = "off-secret-value";

    protected static final ProviderEmulators emulators = ProviderEmulators.shared();

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    /** Roomgate's main port with the all-permissions key; a new one for each test. */
    protected WebTestClient client;

    /** The management port. */
    protected WebTestClient management;

    @DynamicPropertySource
    static void sharedEmulators(DynamicPropertyRegistry registry) {
        emulators.register(registry);
        registry.add("roomgate.security.cors-allowed-origins", () -> ALLOWED_ORIGIN);
        String off = "roomgate.providers." + DISABLED_INSTANCE + ".";
        registry.add(off + "type", () -> "plugnmeet");
        registry.add(off + "enabled", () -> "false");
        registry.add(off + "base-url", () -> "https://off.example.com");
        registry.add(off + "credentials.api-key", () -> "off-key");
        registry.add(off + "credentials.api-secret", () -> DISABLED_INSTANCE_SECRET);
    }

    @BeforeEach
    void connectClients() {
        client = ProviderEmulators.clientFor(port);
        management = ProviderEmulators.clientFor(managementPort);
    }

    /** The main port without any credential. */
    protected WebTestClient anonymous() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @AfterEach
    void resetEmulators() {
        emulators.reset();
    }
}
