package dev.roomgate.demo;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.roomgate.RoomgateApplication;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.ProviderEmulators;

/**
 * Roomgate on the embedded default: the three provider emulators (the same ones the tests use, which check
 * signatures like the real providers) with a few demo rooms, and Roomgate configured to ask them. Lives in the
 * test sources so none of it can reach a production classpath.
 */
public final class RoomgateDemo {

    private RoomgateDemo() {
    }

    public static void main(String[] args) {
        ProviderEmulators emulators = ProviderEmulators.start();
        Runtime.getRuntime().addShutdownHook(new Thread(emulators::close, "emulators-shutdown"));
        // The configured order of instances is the order of the answer, and the builder's own default properties are
        // an unordered map: an ordered property source of our own keeps it.
        Map<String, Object> properties = new LinkedHashMap<>(emulators.roomgateProperties());
        // The demo's plugNmeet tells Roomgate of its changes by webhook, as a real one configured for it would.
        properties.put("roomgate.providers." + ProviderEmulators.PLUGNMEET + ".webhook.enabled", "true");
        ConfigurableApplicationContext roomgate = new SpringApplicationBuilder(RoomgateApplication.class)
            // Readable lines for a person at a terminal; production logs JSON.
            .profiles("text-logs")
            .initializers(context -> context.getEnvironment().getPropertySources()
                .addLast(new MapPropertySource("roomgate-demo", properties)))
            .run(args);
        String port = roomgate.getEnvironment().getProperty("local.server.port", "8080");
        DemoActivity.start(emulators.plugNmeet,
                URI.create("http://localhost:" + port + "/webhooks/" + ProviderEmulators.PLUGNMEET));
        String key = "-H 'X-API-Key: " + ProviderEmulators.API_KEY + "'";
        System.out.printf("%nRoomgate demo is up. Its API key is %s. Try:%n  curl -s %s localhost:8080/v1/rooms/%s%n"
                + "  curl -s %s 'localhost:8080/v1/rooms/%s?participants=false'%n"
                + "  curl -s %s localhost:8080/v1/rooms/%s%n  curl -s %s localhost:8080/v1/providers%n"
                + "  curl -s -N %s localhost:8080/v1/rooms/%s/events   # someone joins or leaves every %d s%n"
                + "  curl -s localhost:8081/actuator/health%n%n", ProviderEmulators.API_KEY, key, DemoRooms.DEMO_STANDUP,
                key, DemoRooms.TOWN_HALL, key, DemoRooms.TENCENT_ONLY, key, key, DemoRooms.DEMO_STANDUP,
                DemoActivity.EVERY.toSeconds());
    }
}
