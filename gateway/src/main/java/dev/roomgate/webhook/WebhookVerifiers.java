package dev.roomgate.webhook;

import java.time.Clock;
import java.util.Optional;

import dev.roomgate.config.InvalidConfigurationException;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;

/** The verifier of each provider instance whose webhooks are enabled, made from its configuration. */
public final class WebhookVerifiers {

    private WebhookVerifiers() {
    }

    /**
     * @return the instance's verifier; empty when its webhooks are not enabled, or the instance itself is not (a
     *         webhook about it would wake nothing, since no answer asks it)
     * @throws InvalidConfigurationException when its {@code webhook.public-key} holds no RSA public key (binding
     *         checks only that it is there), naming the key and not the value, so that start-up stops on one line
     */
    public static Optional<WebhookVerifier> forInstance(ProviderInstance instance, Clock clock) {
        ProviderInstance.Webhook webhook = instance.webhook();
        if (!instance.enabled() || webhook == null || !webhook.enabled()) {
            return Optional.empty();
        }
        ProviderCredentials credentials = instance.credentials();
        if (credentials instanceof ProviderCredentials.PlugNmeet plugNmeet) {
            return Optional.of(new PlugNmeetWebhookVerifier(instance.name(), plugNmeet.apiKey(), plugNmeet.apiSecret(),
                    clock));
        }
        if (credentials instanceof ProviderCredentials.Tencent tencent) {
            return Optional.of(new TencentWebhookVerifier(instance.name(), tencent.sdkAppId(), webhook.token(), clock));
        }
        try {
            return Optional.of(VideoSdkWebhookVerifier.of(instance.name(), webhook.publicKeyPem()));
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            throw new InvalidConfigurationException("roomgate.providers." + instance.name() + ".webhook.public-key",
                    ex instanceof IllegalArgumentException ? ex.getMessage() : "is required");
        }
    }
}
