package dev.roomgate.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.roomgate.config.ProviderInstance;
import dev.roomgate.resilience.InstanceGuard;
import dev.roomgate.resilience.InstanceGuards;
import dev.roomgate.resilience.PermitQueue;

/**
 * Keeps this replica's own quota of every shared instance at its allotment of the limit, so that the waiting
 * happens in this replica's {@link PermitQueue}, in its order (continuations first, then by priority and share),
 * and not at the shared quota in Redis, where calls would be granted as they ask.
 *
 * <p>Every {@link #EVERY} each replica tells Redis what its callers asked of the instance (calls per second, by
 * interactive and background work, and the summed quota shares of the clients behind them) and Redis answers its
 * allotment (quota-share.lua: weighted water-filling, interactive work first, what nobody wants split evenly).
 * The allotments add up to the limit, so the shared quota rarely has to hold a call back; it still counts every
 * call, and stays what no replica can exceed while allotments move. While Redis cannot be asked, the replica keeps
 * to its fixed share (limit / expected replicas), as the shared quota's fallback does.
 */
final class QuotaAllotments {

    /** How often demand is reported and allotments are rebalanced. */
    static final Duration EVERY = Duration.ofMillis(100);

    /** How long a replica's demand counts without being renewed: one that stopped gives its part back by then. */
    static final Duration LAPSES_AFTER = Duration.ofSeconds(1);

    // Weight of the latest period in the smoothed demand: enough to follow a change within a few periods, while
    // the count of one 100 ms period, a few calls, does not swing the split.
    private static final double LATEST = 0.5;

    private final List<Allotment> allotments = new ArrayList<>();

    private final RedisScripts scripts;

    private final RedisLink link;

    private final String replica;

    QuotaAllotments(List<ProviderInstance> instances, InstanceGuards guards, RedisScripts scripts, RedisLink link,
            String replica, MeterRegistry meters) {
        this.scripts = scripts;
        this.link = link;
        this.replica = replica;
        for (ProviderInstance instance : instances) {
            InstanceGuard guard = guards.find(instance.name());
            if (guard != null && guard.shared() instanceof RedisQuota shared) {
                allotments.add(new Allotment(guard, shared, scripts.key("quota-share", instance.name(), "")));
                Gauge.builder("roomgate.cluster.quota.allotment", guard.quota(), quota -> quota.allotted())
                    .description("Calls per sliding window this replica keeps to now: its allotment of the limit")
                    .tag("provider", instance.name())
                    .register(meters);
            }
        }
    }

    /** Rebalances every {@link #EVERY} until disposed; a round that is still running skips the next tick. */
    Disposable start() {
        return Flux.interval(EVERY, EVERY, Schedulers.parallel())
            .onBackpressureDrop()
            .concatMap(tick -> Flux.fromIterable(allotments).flatMap(Allotment::rebalance).then(), 1)
            .subscribe();
    }

    /** One instance's allotment on this replica. */
    private final class Allotment {

        private final InstanceGuard guard;

        private final RedisQuota shared;

        private final String key;

        private final String limit;

        private double interactive;

        private double background;

        Allotment(InstanceGuard guard, RedisQuota shared, String key) {
            this.guard = guard;
            this.shared = shared;
            this.key = key;
            this.limit = Integer.toString(guard.quota().limit());
        }

        Mono<Void> rebalance() {
            PermitQueue.Demand demand = guard.permits().takeDemand();
            double periodsPerSecond = (double) Duration.ofSeconds(1).toNanos() / EVERY.toNanos();
            interactive = smoothed(interactive, demand.interactiveCalls() * periodsPerSecond);
            background = smoothed(background, demand.backgroundCalls() * periodsPerSecond);
            if (!link.usable()) {
                keepToFixedShare();
                return Mono.empty();
            }
            return scripts.run("quota", RedisScripts.QUOTA_SHARE, List.of(key), limit, replica, rate(interactive),
                    rate(background), Integer.toString(demand.interactiveWeight()),
                    Integer.toString(demand.backgroundWeight()), Long.toString(LAPSES_AFTER.toNanos() / 1000))
                .doOnNext(this::received)
                .onErrorResume(failure -> {
                    if (!link.usable()) {
                        keepToFixedShare();
                    }
                    return Mono.empty();
                })
                .then();
        }

        private void keepToFixedShare() {
            guard.quota().allotTo(shared.share().limit());
        }

        /** An allotment is used only if it is one quota-share.lua can give; otherwise the current one stays. */
        private void received(List<Object> values) {
            long[] numbers = link.numbers(values, 2, "quota_share_reply");
            if (numbers == null) {
                return;
            }
            long allotment = numbers[0];
            long replicas = numbers[1];
            if (allotment < 0 || allotment > guard.quota().limit() || replicas < 1) {
                link.ignored("quota_share_reply", "allotment " + allotment + " among " + replicas + " replicas");
                return;
            }
            if (values.size() > 2) {
                link.ignored("quota_share_table", "entries the script never writes, removed");
            }
            guard.quota().allotTo((int) allotment);
        }
    }

    private static double smoothed(double previous, double latest) {
        return previous + LATEST * (latest - previous);
    }

    /** Calls per second as the script reads them: whole calls, any demand at all counting as at least one. */
    private static String rate(double perSecond) {
        return Long.toString((long) Math.ceil(perSecond - 1e-6));
    }
}
