package dev.roomgate.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.schema.ProviderType;

/**
 * Takes providers' webhooks in ({@code POST /webhooks/{instance}}, contract 2.4), in this order: the instance
 * (configured, with webhooks enabled), the body's size, the provider's signature, the instance's rate limit, the
 * dedupe window, and only then the {@link RoomChanged} listeners. Every webhook is counted on
 * {@code roomgate.webhooks} (tags {@code provider}, {@code type}, {@code outcome}). Nothing is told to the listeners
 * unless all of it passed, and a refusal changes nothing.
 * <p>
 * The rate limit is spent by verified webhooks only, so that forged ones cannot use up a real provider's share; a
 * forged one costs one HMAC or RSA check. An unknown instance and one whose webhooks are disabled get the same
 * answer (401, {@code webhook-not-accepted}), which tells nobody which instances exist without webhooks.
 */
public final class WebhookIntake {

    /** The largest body taken (contract 2.4: over 1 MiB is a 400). The route should stop reading past it. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    static final String NOT_ACCEPTED = "webhook-not-accepted";

    static final String TOO_LARGE = "webhook-body-too-large";

    static final String TOO_MANY = "too-many-webhooks";

    /** Dedupe keys remembered at most, across instances: a burst cannot grow memory without bound. */
    static final int MAX_REMEMBERED = 100_000;

    /**
     * How long a delivered event is remembered, per provider. plugNmeet retries within seconds, with a token valid
     * 5 minutes, and its {@code id} is unique; Tencent's key holds the event's millisecond time. VideoSDK's key has
     * no time in it (type, session, participant), so a participant who leaves and joins again soon would look like
     * a retry: its window is short, and a webhook dropped that way is only a wake-up the watch loop's next poll makes
     * up for.
     */
    static final Map<ProviderType, Duration> DEDUPE_WINDOW = Map.of(ProviderType.PLUGNMEET, Duration.ofMinutes(10),
            ProviderType.TENCENT, Duration.ofMinutes(10), ProviderType.VIDEOSDK, Duration.ofSeconds(30));

    private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);

    private static final String METRIC = "roomgate.webhooks";

    private final Map<String, Intake> byInstance = new LinkedHashMap<>();

    /** Every configured instance's name, webhooks enabled or not: the values the {@code provider} tag may take. */
    private final Set<String> configured = new HashSet<>();

    private final Cache<String, ProviderType> seen;

    private final MeterRegistry meters;

    private final List<RoomChanged> listeners;

    /**
     * @param instances every configured instance; those with {@code webhook.enabled} take webhooks
     * @param clock wall time, for the signatures' validity
     * @param nanoTime monotonic time (the application's {@code Ticker}), for the rate limit and the dedupe window
     * @param listeners told of each verified, first-seen webhook, in this order
     * @throws dev.roomgate.config.InvalidConfigurationException when an instance's webhook key is unusable
     */
    public WebhookIntake(ProviderInstances instances, Clock clock, LongSupplier nanoTime, MeterRegistry meters,
            List<RoomChanged> listeners) {
        for (ProviderInstance instance : instances.all()) {
            configured.add(instance.name());
            WebhookVerifiers.forInstance(instance, clock)
                .ifPresent(verifier -> byInstance.put(instance.name(), new Intake(verifier,
                        new WebhookRateLimiter(instance.webhook().requestsPerSecond(), nanoTime))));
        }
        this.seen = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfter(Expiry.creating((String key, ProviderType type) -> DEDUPE_WINDOW.get(type)))
            .ticker(nanoTime::getAsLong)
            .executor(Runnable::run)
            .build();
        this.meters = meters;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * @param instance the {@code {instance}} of the path, as sent
     * @param request the webhook as it arrived, its whole body read (up to just past {@link #MAX_BODY_BYTES})
     */
    public WebhookOutcome receive(String instance, WebhookRequest request) {
        Intake intake = byInstance.get(instance);
        if (intake == null) {
            return count(knownOrUnknown(instance), WebhookEventTypes.UNKNOWN, notAccepted());
        }
        if (request.rawBody().length > MAX_BODY_BYTES) {
            return tooLarge(instance);
        }
        WebhookVerdict verdict = intake.verifier.verify(request);
        if (verdict instanceof WebhookRejection rejection) {
            return count(instance, WebhookEventTypes.UNKNOWN, rejection);
        }
        WebhookEvent event = (WebhookEvent) verdict;
        String type = WebhookEventTypes.tagOf(event.provider(), event.type());
        Duration wait = intake.limiter.take();
        if (!wait.isZero()) {
            return count(instance, type, new WebhookRejection(WebhookRejection.Kind.RATE_LIMITED, TOO_MANY,
                    "more webhooks than this instance's webhook.requests-per-second", wait));
        }
        boolean duplicate = seen.asMap().putIfAbsent(instance + '\n' + event.dedupeKey(), event.provider()) != null;
        WebhookOutcome outcome = count(instance, type, new WebhookOutcome.Accepted(event, duplicate));
        if (!duplicate) {
            tell(event);
        }
        return outcome;
    }

    /**
     * The answer to a body the route stopped reading because it passed {@link #MAX_BODY_BYTES}: the same as
     * {@link #receive} gives a whole one, counted the same way.
     */
    public WebhookOutcome tooLarge(String instance) {
        if (!byInstance.containsKey(instance)) {
            return count(knownOrUnknown(instance), WebhookEventTypes.UNKNOWN, notAccepted());
        }
        return count(instance, WebhookEventTypes.UNKNOWN, new WebhookRejection(WebhookRejection.Kind.BODY, TOO_LARGE,
                "the body is larger than 1 MiB", Duration.ZERO));
    }

    /** Whether {@code instance} takes webhooks (configured, and {@code webhook.enabled}). */
    public boolean accepts(String instance) {
        return byInstance.containsKey(instance);
    }

    private void tell(WebhookEvent event) {
        for (RoomChanged listener : listeners) {
            try {
                listener.changed(event);
            }
            catch (RuntimeException ex) {
                // One listener's bug must not keep the others (cache, watch loops) from hearing of the change.
                log.warn("A webhook listener failed on {} of room {} from {}: {}", event.type(), event.roomId(),
                        event.instance(), ex.toString());
            }
        }
    }

    private static WebhookRejection notAccepted() {
        return new WebhookRejection(WebhookRejection.Kind.SIGNATURE, NOT_ACCEPTED,
                "no webhooks are taken at this address", Duration.ZERO);
    }

    /** A name from the path is a tag value only when it is not configured: anything else could grow the metric. */
    private String knownOrUnknown(String instance) {
        return instance != null && configured.contains(instance) ? instance : WebhookEventTypes.UNKNOWN;
    }

    private WebhookOutcome count(String provider, String type, WebhookOutcome outcome) {
        Counter.builder(METRIC)
            .description("Provider webhooks taken in, by instance, event type and what was done with them")
            .tag("provider", provider)
            .tag("type", type)
            .tag("outcome", outcome.outcome())
            .register(meters)
            .increment();
        return outcome;
    }

    private record Intake(WebhookVerifier verifier, WebhookRateLimiter limiter) {
    }
}
