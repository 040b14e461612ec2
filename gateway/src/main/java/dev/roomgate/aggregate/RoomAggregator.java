package dev.roomgate.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;
import dev.roomgate.schema.Source;

/**
 * Asks every selected instance in parallel and merges their answers. Each instance gets its own budget inside the
 * whole-request budget; whatever happens to one instance becomes its {@link ProviderResult}, never an error.
 */
public record RoomAggregator(Duration requestTimeout, InstanceLookups lookups, Clock clock, Ticker ticker) {

    /** One instance's answer for this request, with the instance and the time this request spent on it. */
    record Part(ProviderInstance instance, InstanceAnswer answer, Duration latency) {
    }

    /**
     * @param noCache the client asked for fresh answers
     * @param claim in whose name the lookups spend provider quota
     * @param clientTimeout how long the client will wait ({@code X-Request-Timeout}), or null: it shortens the
     *        request's budget, and so every instance's, which is never longer than the instance's own timeout
     */
    public Mono<RoomAnswer> aggregate(RoomQuery query, List<ProviderClient> selected, boolean noCache,
            QuotaClaim claim, Duration clientTimeout) {
        return Mono.defer(() -> {
            Duration total = clientTimeout != null && clientTimeout.compareTo(requestTimeout) < 0 ? clientTimeout
                    : requestTimeout;
            CallBudget request = CallBudget.start(ticker, total, claim);
            return Flux.fromIterable(selected)
                .flatMapSequential(client -> ask(client, query, noCache, request), Math.max(1, selected.size()))
                .collectList()
                .map(parts -> RoomAnswer.of(document(query.roomId(), parts), parts));
        });
    }

    private Mono<Part> ask(ProviderClient client, RoomQuery query, boolean noCache, CallBudget request) {
        return Mono.defer(() -> {
            ProviderInstance instance = client.instance();
            CallBudget budget = request.forInstance(instance.timeout()).forLookupOf(query);
            long started = ticker.nanoTime();
            return lookups.lookup(client, query, noCache, budget)
                .map(answer -> new Part(instance, answer, Duration.ofNanos(ticker.nanoTime() - started)));
        });
    }

    private RoomDocument document(String roomId, List<Part> parts) {
        List<Room> rooms = parts.stream().map(part -> part.answer().outcome().room()).filter(room -> room != null)
            .toList();
        List<ProviderResult> results = parts.stream().map(RoomAggregator::result).toList();
        boolean complete = results.stream().allMatch(result -> result.status().isAuthoritative());
        return new RoomDocument(roomId, complete, clock.instant(), rooms, results);
    }

    /** The one place an instance's answer becomes its wire result. */
    private static ProviderResult result(Part part) {
        InstanceAnswer answer = part.answer();
        Outcome outcome = answer.outcome();
        Long ageMs = answer.source() == Source.UPSTREAM ? null : answer.age().toMillis();
        return new ProviderResult(part.instance().name(), part.instance().type(), outcome.status(),
                part.latency().toMillis(), answer.retries(), answer.source(), ageMs, outcome.error());
    }
}
