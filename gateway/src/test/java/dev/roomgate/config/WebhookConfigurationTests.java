package dev.roomgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.roomgate.support.ConfigurationValidation;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code roomgate.providers.<name>.webhook.*}: bound from the keys operators write, checked per type. */
class WebhookConfigurationTests {

    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMIIB...\n-----END PUBLIC KEY-----";

    private static Map<String, String> instance(String name, String type, String... more) {
        Map<String, String> keys = new LinkedHashMap<>();
        String prefix = "roomgate.providers." + name + ".";
        keys.put(prefix + "type", type);
        keys.put(prefix + "base-url", "https://" + name + ".example.com");
        switch (type) {
            case "plugnmeet" -> {
                keys.put(prefix + "credentials.api-key", "plugnmeet");
                keys.put(prefix + "credentials.api-secret", "plugnmeet-secret-value");
            }
            case "tencent" -> {
                keys.put(prefix + "credentials.sdk-app-id", "1400000000");
                keys.put(prefix + "credentials.identifier", "administrator");
                keys.put(prefix + "credentials.secret-key", "tencent-secret-value");
            }
            default -> {
                keys.put(prefix + "credentials.api-key", "videosdk-key");
                keys.put(prefix + "credentials.secret", "videosdk-secret-value");
            }
        }
        for (int i = 0; i < more.length; i += 2) {
            keys.put(prefix + more[i], more[i + 1]);
        }
        return keys;
    }

    private static RoomgateProperties bind(Map<String, String> keys) {
        return new Binder(new MapConfigurationPropertySource(keys)).bind("roomgate", RoomgateProperties.class).get();
    }

    @Test
    void webhooksAreOffUnlessEnabledAndTakeFiftyASecond() {
        ProviderInstance instance = ProviderInstances.from(ConfigurationValidation.check(bind(instance("p1",
                "plugnmeet")))).all().get(0);
        assertThat(instance.webhook().enabled()).isFalse();
        assertThat(instance.webhook().requestsPerSecond()).isEqualTo(50);
    }

    @Test
    void eachTypeKeepsWhatVerifiesIt() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.putAll(instance("p1", "plugnmeet", "webhook.enabled", "true", "webhook.requests-per-second", "7"));
        keys.putAll(instance("t1", "tencent", "webhook.enabled", "true", "webhook.token", " callback-token-value "));
        keys.putAll(instance("v1", "videosdk", "webhook.enabled", "true", "webhook.public-key", PEM,
                "webhook.token", "ignored-for-videosdk"));
        List<ProviderInstance> instances = ProviderInstances.from(ConfigurationValidation.check(bind(keys))).all();
        assertThat(instances.get(0).webhook().enabled()).isTrue();
        assertThat(instances.get(0).webhook().requestsPerSecond()).isEqualTo(7);
        assertThat(instances.get(1).webhook().token().utf8()).asString().isEqualTo("callback-token-value");
        assertThat(instances.get(2).webhook().publicKeyPem()).isEqualTo(PEM);
        assertThat(instances.get(2).webhook().token()).isNull();
    }

    @Test
    void enabledWithoutItsKeyIsAnErrorNamingTheKey() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.putAll(instance("t1", "tencent", "webhook.enabled", "true"));
        keys.putAll(instance("v1", "videosdk", "webhook.enabled", "true", "webhook.public-key", " "));
        // plugNmeet verifies with its credentials, which are required anyway.
        keys.putAll(instance("p1", "plugnmeet", "webhook.enabled", "true"));
        assertThat(ConfigurationValidation.errors(bind(keys))).satisfiesExactly(
                line -> assertThat(line).startsWith("roomgate.providers.t1.webhook.token: is required when "
                        + "webhook.enabled is true"),
                line -> assertThat(line).startsWith("roomgate.providers.v1.webhook.public-key: is required when "
                        + "webhook.enabled is true"));
    }

    @Test
    void disabledNeedsNoKey() {
        assertThat(ConfigurationValidation.errors(bind(instance("t1", "tencent", "webhook.enabled", "false"))))
            .isEmpty();
    }

    @Test
    void theRateIsBounded() {
        assertThat(ConfigurationValidation.errors(bind(instance("p1", "plugnmeet",
                "webhook.requests-per-second", "0"))))
            .containsExactly("roomgate.providers.p1.webhook.requests-per-second: must be between 1 and 100000");
    }

    @Test
    void theTokenNeverPrints() {
        RoomgateProperties bound = bind(instance("t1", "tencent", "webhook.enabled", "true", "webhook.token",
                "callback-token-value"));
        ProviderInstance instance = ProviderInstances.from(bound).all().get(0);
        assertThat(bound.providers().get("t1").webhook().toString()).doesNotContain("callback-token-value");
        assertThat(instance.toString()).doesNotContain("callback-token-value");
    }
}
