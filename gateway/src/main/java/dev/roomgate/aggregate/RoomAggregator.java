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

    private final Ticker ticker;

    public RoomAggregator(Duration requestTimeout, InstanceLookups lookups, Clock clock, Ticker ticker) {
        this.requestTimeout = requestTimeout;
        this.lookups = lookups;
        this.clock = clock;
        this.ticker = ticker;
    }

    /** One instance's answer for this request, with the instance and the time this request spent on it. */
    record Part(ProviderInstance instance, InstanceAnswer answer, Duration latency) {
    }

    /** @param noCache the client asked for fresh answers */
    public Mono<RoomAnswer> aggregate(RoomQuery query, List<ProviderClient> selected, boolean noCache) {
        return Mono.defer(() -> {
            CallBudget request = CallBudget.start(ticker, requestTimeout);
            return Flux.fromIterable(selected)
                .flatMapSequential(client -> ask(client, query, noCache, request), Math.max(1, selected.size()))
                .collectList()
                .map(parts -> RoomAnswer.of(RoomDocument.of(query.roomId(), clock.instant(), parts), parts));
        });
    }

    private Mono<Part> ask(ProviderClient client, RoomQuery query, boolean noCache, CallBudget request) {
        return Mono.defer(() -> {
            ProviderInstance instance = client.instance();
            CallBudget budget = request.forInstance(instance.timeout());
            long started = ticker.nanoTime();
            return lookups.lookup(client, query, noCache, budget)
                .map(answer -> new Part(instance, answer, Duration.ofNanos(ticker.nanoTime() - started)));
        });
    }
}
