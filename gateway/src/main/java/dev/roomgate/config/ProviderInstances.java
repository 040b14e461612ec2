package dev.roomgate.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.roomgate.config.RoomgateProperties.CredentialProperties;
import dev.roomgate.config.RoomgateProperties.ProviderProperties;
import dev.roomgate.schema.ProviderType;

/** The configured provider instances, in configured order. */
public final class ProviderInstances {

    private static final Pattern INSTANCE_NAME = Pattern.compile("^" + RoomgateProperties.INSTANCE_NAME + "$");

    private static final String PREFIX = "roomgate.providers";

    private final Map<String, ProviderInstance> byName;

    private ProviderInstances(Map<String, ProviderInstance> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * The instances of properties that binding has validated (see {@link RoomgateProperties}); nothing is checked
     * again here.
     */
    public static ProviderInstances from(RoomgateProperties properties) {
        return from(properties, List.of());
    }

    /**
     * @param declaredOrder instance names in the order the operator declared them; answers list instances in this
     *        order, and any instance it does not name after them, in the order binding gave
     */
    public static ProviderInstances from(RoomgateProperties properties, List<String> declaredOrder) {
        Map<String, ProviderProperties> bound = properties.providers();
        List<String> order = new ArrayList<>();
        declaredOrder.stream().filter(bound::containsKey).forEach(order::add);
        bound.keySet().stream().filter(name -> !order.contains(name)).forEach(order::add);
        Map<String, ProviderInstance> instances = new LinkedHashMap<>();
        order.forEach(name -> instances.put(name, instance(name, bound.get(name))));
        return new ProviderInstances(instances);
    }

    /**
     * Checks instance names as the operator wrote them. Binding relaxes map keys (it drops spaces and symbols, and a
     * dot nests), so {@code "plug main"} would otherwise start up as {@code plugmain}. Binding's own validation
     * sees only the relaxed names, so this check stays outside it.
     *
     * @param propertyNames every property name of the configuration sources that list theirs
     */
    public static void checkRawNames(Iterable<String> propertyNames) {
        for (String property : propertyNames) {
            String raw = rawInstanceName(property);
            if (raw != null && !INSTANCE_NAME.matcher(raw).matches()) {
                throw new InvalidConfigurationException(PREFIX + "." + raw,
                        "instance name must match " + INSTANCE_NAME.pattern() + " (lower-case letters, digits, dashes)");
            }
        }
    }

    /** The instance name a property is about, exactly as written, or null for other properties. */
    static String rawInstanceName(String property) {
        if (!property.startsWith(PREFIX) || property.length() == PREFIX.length()) {
            return null;
        }
        String rest = property.substring(PREFIX.length());
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            return close < 0 ? rest.substring(1) : rest.substring(1, close);
        }
        if (!rest.startsWith(".")) {
            return null;
        }
        int end = rest.indexOf('.', 1);
        int bracket = rest.indexOf('[', 1);
        if (bracket > 0 && (end < 0 || bracket < end)) {
            end = bracket;
        }
        return end < 0 ? rest.substring(1) : rest.substring(1, end);
    }

    /** Every configured instance, enabled or not, in declared order. */
    public List<ProviderInstance> all() {
        return List.copyOf(byName.values());
    }

    public List<ProviderInstance> enabled() {
        List<ProviderInstance> enabled = new ArrayList<>();
        byName.values().stream().filter(ProviderInstance::enabled).forEach(enabled::add);
        return List.copyOf(enabled);
    }

    public Optional<ProviderInstance> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private static ProviderInstance instance(String name, ProviderProperties props) {
        ProviderType type = ProviderType.fromWireName(props.type().strip()).orElseThrow();
        String url = props.baseUrl().strip();
        URI baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        RoomgateProperties.Retry retry = props.retry();
        RoomgateProperties.CircuitBreaker breaker = props.circuitBreaker();
        return new ProviderInstance(name, type, baseUrl, props.enabled(), props.timeout(),
                props.rateLimit().requestsPerSecond(), props.rateLimit().maxWaiting(),
                new ProviderInstance.RetryPolicy(retry.maxAttempts(), retry.attemptTimeout(), retry.budgetPercent(),
                        retry.budgetMinRetries()),
                new ProviderInstance.BreakerPolicy(breaker.window(), breaker.minimumCalls(),
                        breaker.failureRatePercent(), breaker.openFor(), breaker.halfOpenCalls()),
                props.maxConcurrentCalls(), credentials(type, props.credentials()),
                props.listRateLimit().effective(type, props.rateLimit().requestsPerSecond()),
                webhook(type, props.webhook()));
    }

    /** Only what the type verifies with is kept; a key or token given for another type is ignored. */
    private static ProviderInstance.Webhook webhook(ProviderType type, RoomgateProperties.WebhookProperties w) {
        if (w == null) {
            return ProviderInstance.Webhook.DISABLED;
        }
        String publicKey = type == ProviderType.VIDEOSDK && w.publicKey() != null ? w.publicKey().strip() : null;
        Secret token = type == ProviderType.TENCENT && w.token() != null ? Secret.of(w.token().strip()) : null;
        return new ProviderInstance.Webhook(w.enabled(), w.requestsPerSecond(), publicKey, token);
    }

    private static ProviderCredentials credentials(ProviderType type, CredentialProperties c) {
        return switch (type) {
            case PLUGNMEET -> new ProviderCredentials.PlugNmeet(c.apiKey().strip(), Secret.of(c.apiSecret().strip()));
            case TENCENT -> new ProviderCredentials.Tencent(Long.parseLong(c.sdkAppId().strip()),
                    c.identifier().strip(), Secret.of(c.secretKey().strip()));
            case VIDEOSDK -> new ProviderCredentials.VideoSdk(c.apiKey().strip(), Secret.of(c.secret().strip()));
        };
    }
}
