package dev.roomgate.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;

/**
 * Asks every selected instance in parallel and merges their answers. Each instance gets its own budget inside the
 * whole-request budget; whatever happens to one instance becomes its {@link ProviderResult}, never an error.
 */
public final class RoomAggregator {

    private final Duration requestTimeout;

    private final InstanceLookups lookups;

    private final Clock clock;

    public RoomAggregator(Duration requestTimeout, InstanceLookups lookups, Clock clock) {
        this.requestTimeout = requestTimeout;
        this.lookups = lookups;
        this.clock = clock;
    }

    /** @param noCache the client asked for fresh answers */
    public Mono<RoomAnswer> aggregate(RoomQuery query, List<ProviderClient> selected, boolean noCache) {
        return Flux.fromIterable(selected)
            .flatMapSequential(client -> fetch(client, query, noCache), Math.max(1, selected.size()))
            .collectList()
            .map(outcomes -> RoomAnswer.of(RoomDocument.of(query.roomId(), clock.instant(), outcomes), outcomes));
    }

    private Mono<ProviderOutcome> fetch(ProviderClient client, RoomQuery query, boolean noCache) {
        return Mono.defer(() -> {
            ProviderInstance instance = client.instance();
            Duration budget = instance.timeout().compareTo(requestTimeout) < 0 ? instance.timeout() : requestTimeout;
            long started = System.nanoTime();
            return lookups.lookup(client, query, noCache, budget).map(sourced -> outcome(instance, sourced, started));
        });
    }

    private static ProviderOutcome outcome(ProviderInstance instance, Sourced sourced, long started) {
        Fetched fetched = sourced.fetched();
        long latencyMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        ProviderStatus status = sourced.isStale() ? ProviderStatus.STALE : fetched.status();
        Long ageMs = sourced.age() == null ? null : sourced.age().toMillis();
        ProviderError error = status == ProviderStatus.OK || status == ProviderStatus.NOT_FOUND ? null
                : sourced.isStale() ? sourced.staleBecause() : fetched.error();
        ProviderResult result = new ProviderResult(instance.name(), instance.type(), status, latencyMs, sourced.retries(),
                sourced.source(), ageMs, error);
        Room room = sourced.isStale() || status == ProviderStatus.OK ? sourced.fetched().room() : null;
        return new ProviderOutcome(result, room, sourced.freshFor(), sourced.age());
    }
}
