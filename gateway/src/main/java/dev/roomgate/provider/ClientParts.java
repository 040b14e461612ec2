package dev.roomgate.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;

import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;

/**
 * What every provider client is built from: its instance, the HTTP client set up for it, the policy its calls run
 * under, the JSON mapper and the clock that dates its credentials.
 */
public record ClientParts(ProviderInstance instance, UpstreamHttp http, CallPolicy calls, JsonMapper json,
        Clock clock) {

    /** The instance's credentials, of the type its provider takes. */
    public <C extends ProviderCredentials> C credentials(Class<C> type) {
        return type.cast(instance.credentials());
    }

    /** A credential minted afresh, as {@code mint(issuedAt, lifetime)}, before each {@code lifetime} runs out. */
    public RenewingCredential renewing(Duration lifetime, BiFunction<Instant, Duration, String> mint) {
        return new RenewingCredential(clock, lifetime, issuedAt -> mint.apply(issuedAt, lifetime));
    }
}
