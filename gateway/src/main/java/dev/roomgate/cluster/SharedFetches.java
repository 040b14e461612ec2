package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.Ticker;

/**
 * The protocol of room-claim.lua and room-store.lua, for anything one replica fetches for all: the first replica to
 * claim a key pair holds a lease and fetches; the others poll, backing off, for what it stores, until they have
 * waited as long as they may and fetch on their own. Whatever Redis says that is not one of its answers, or saying
 * nothing at all, means fetch here, which is always safe.
 */
final class SharedFetches {

    private static final Duration FIRST_POLL = Duration.ofMillis(20);

    private final RedisScripts scripts;

    private final RedisLink link;

    private final Ticker ticker;

    SharedFetches(RedisScripts scripts, RedisLink link, Ticker ticker) {
        this.scripts = scripts;
        this.link = link;
        this.ticker = ticker;
    }

    /**
     * One replica's claim on one thing to fetch.
     *
     * @param instance the provider instance, named where a stored value is ignored
     * @param keys the stored answer's key and the lease's
     * @param holder unique to this claim, across replicas
     * @param lease how long this replica may fetch before another may take over
     * @param waitUntil on the ticker's clock: until when to wait for another replica before fetching here
     * @param maxPoll the longest wait between two polls
     */
    record Claim(String instance, List<String> keys, String holder, Duration lease, long waitUntil,
            Duration maxPoll) {
    }

    /** The claim's keys: {@code <prefix>:<kind>:<tag>:answer} and {@code …:lease}. */
    List<String> keys(String kind, String tag) {
        return List.of(scripts.key(kind, tag, ":answer"), scripts.key(kind, tag, ":lease"));
    }

    /**
     * @param shared what to make of another replica's stored answer: the claim script's reply {@code [answer, age
     *        in ms, body]}
     * @param lead fetches here
     */
    <T> Mono<T> claim(Claim claim, Function<List<Object>, Mono<T>> shared, Supplier<Mono<T>> lead) {
        return ask(claim, FIRST_POLL, shared, lead);
    }

    private <T> Mono<T> ask(Claim claim, Duration poll, Function<List<Object>, Mono<T>> shared,
            Supplier<Mono<T>> lead) {
        return scripts.run("coalesce", RedisScripts.ROOM_CLAIM, claim.keys(), claim.holder(),
                Long.toString(claim.lease().toMillis()))
            .onErrorResume(reported -> Mono.just(List.of("unavailable")))
            .flatMap(reply -> switch (reply.isEmpty() ? "" : String.valueOf(reply.get(0))) {
                case "answer" -> shared.apply(reply);
                case "wait" -> {
                    noteIgnored(claim, reply, 2);
                    yield ticker.nanoTime() + poll.toNanos() - claim.waitUntil() > 0 ? lead.get()
                            : Mono.delay(poll).then(Mono.defer(() -> ask(claim, longer(poll, claim.maxPoll()),
                                    shared, lead)));
                }
                case "lead" -> {
                    noteIgnored(claim, reply, 1);
                    yield lead.get();
                }
                default -> lead.get();
            });
    }

    /**
     * Stores what this replica fetched for {@code keep}, and ends its lease; with an empty body it only ends the
     * lease, so that the others fetch at once. Fire and forget: a store that fails costs the others a fetch.
     */
    void store(Claim claim, String body, Duration keep) {
        if (!link.usable()) {
            return;
        }
        scripts.run("coalesce", RedisScripts.ROOM_STORE, claim.keys(), body, Long.toString(keep.toMillis()),
                claim.holder())
            .subscribe(done -> { }, reported -> { });
    }

    /** The claim script names a stored value it ignored (room-claim.lua) at this index of its reply. */
    private void noteIgnored(Claim claim, List<Object> reply, int at) {
        if (reply.size() > at) {
            String what = "lease".equals(String.valueOf(reply.get(at))) ? "room_lease" : "shared_answer";
            link.ignored(what, "provider=" + claim.instance() + ": malformed or out of date");
        }
    }

    private static Duration longer(Duration poll, Duration max) {
        Duration doubled = poll.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
