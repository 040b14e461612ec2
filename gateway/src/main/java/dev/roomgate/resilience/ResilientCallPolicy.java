package dev.roomgate.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.retry.Retry;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.CallPolicy;
import dev.roomgate.provider.RedirectHops;
import dev.roomgate.provider.RequestSent;
import dev.roomgate.schema.ProviderStatus;

/**
 * The one place the resilience policy is applied to an upstream HTTP call of one instance. Order, outermost
 * first:
 *
 * <pre>
 * Retry( CircuitBreaker( Quota( Bulkhead( attempt under its deadline ) ) ) )
 * </pre>
 *
 * (Quota is the call's turn in this replica's {@link PermitQueue}, then, in cluster mode, the quota all replicas
 * share.)
 *
 * Retry is outermost, so every attempt passes the breaker and spends a quota permit (retries and pages are calls
 * like any other). The breaker is outside the quota, so an open breaker spends no permit, and it never sees our
 * own refusals as provider failures. The quota is outside the bulkhead, so waiting for a permit holds no slot. The
 * deadline wraps the attempt alone, body included, so a body dribbled after the headers is cut off too.
 *
 * <p>A redirect hop inside an attempt ({@link RedirectHops}) is a call too: it takes a permit from the same quota,
 * counts as an upstream call, and runs inside the attempt's deadline, waiting for its permit only as long as that
 * deadline leaves room for the hop itself. It passes no breaker or bulkhead of its own: the attempt already holds
 * both, and the breaker judges the attempt as a whole.
 */
public final class ResilientCallPolicy implements CallPolicy {

    private static final Duration MIN_ATTEMPT = CallBudget.MIN_ATTEMPT;

    private static final Duration BASE_BACKOFF = Duration.ofMillis(50);

    private static final Duration MAX_BACKOFF = Duration.ofMillis(1000);

    private final InstanceGuard guard;

    private final CallMeters meters;

    ResilientCallPolicy(InstanceGuard guard, CallMeters meters) {
        this.guard = guard;
        this.meters = meters;
    }

    /** Each enabled instance's policy, around its own guards. */
    public static CallPolicy.Factory factory(InstanceGuards guards, CallMeters meters) {
        return instance -> new ResilientCallPolicy(guards.of(instance), meters);
    }

    @Override
    public <T> Mono<T> call(CallBudget budget, String api, Mono<T> attempt) {
        return calls(budget, api, attempt, false);
    }

    /** The listing's own limit is waited for first, so that no instance permit is held while it is. */
    @Override
    public <T> Mono<T> listingCall(CallBudget budget, String api, Mono<T> attempt) {
        return calls(budget, api, attempt, true);
    }

    private <T> Mono<T> calls(CallBudget budget, String api, Mono<T> attempt, boolean listing) {
        return Mono.defer(() -> {
            AtomicBoolean first = new AtomicBoolean(true);
            return Mono.defer(() -> guarded(budget, api, attempt, !first.getAndSet(false), listing))
                .retryWhen(retries(budget));
        });
    }

    private <T> Mono<T> guarded(CallBudget budget, String api, Mono<T> attempt, boolean isRetry, boolean listing) {
        Mono<T> timed = Mono.defer(() -> {
            Duration perAttempt = guard.instance().retry().attemptTimeout();
            Duration deadline = budget.attemptTimeout(perAttempt);
            // Counted here, once every guard has let the call through: `retries` counts calls really repeated.
            budget.recordAttempt(isRetry);
            guard.meters().upstreamCalls().increment();
            if (isRetry) {
                guard.meters().retriesMade().increment();
            }
            else {
                guard.retryBudget().recordFirstAttempt();
            }
            long started = budget.ticker().nanoTime();
            long attemptEnds = started + deadline.toNanos();
            Supplier<Duration> hopTime = () -> shorter(budget.remaining(),
                    Duration.ofNanos(Math.max(0, attemptEnds - budget.ticker().nanoTime())));
            // Cut short by the budget rather than by the attempt deadline: running out is then our budget ending,
            // not the provider being slow, and it must neither count against the provider nor be retried.
            boolean budgetBound = deadline.compareTo(perAttempt) < 0;
            Supplier<ProviderException> ranOut = () -> budgetBound ? ProviderException.budgetEnded() : timedOut();
            // A hop continues an attempt that already had its turn: it reserves its start directly. When the
            // earlier hops left it no time, the attempt ran out as surely as if its deadline had fired.
            RedirectHops hops = () -> withLocalQuota(guard, guard.quota(), hopTime, ranOut,
                    withSharedQuota(guard, hopTime,
                            Mono.<Void>fromRunnable(() -> guard.meters().upstreamCalls().increment())));
            Supplier<Duration> took = () -> Duration.ofNanos(budget.ticker().nanoTime() - started);
            return attempt.contextWrite(Context.of(RedirectHops.KEY, hops))
                .timeout(deadline)
                .onErrorMap(TimeoutException.class, timeout -> ranOut.get())
                .doOnSuccess(answer -> {
                    guard.throttle().answered();
                    meters.call(guard.instance(), api, "ok", took.get());
                })
                .doOnError(failure -> meters.call(guard.instance(), api, outcome(failure), took.get()));
        }).doOnError(ProviderException.class, failure -> slowDownIfThrottled(guard, failure));
        return timed
            .transformDeferred(BulkheadOperator.of(guard.bulkhead()))
            .onErrorMap(BulkheadFullException.class, full -> refused("BULKHEAD_FULL",
                    "too many calls to this provider in flight already"))
            .transform(call -> inTurn(guard, budget, withSharedQuota(guard, budget::remaining, call)))
            .transform(call -> listing ? withLocalQuota(guard, guard.listQuota(), budget::remaining,
                    ProviderException::budgetEnded, call) : call)
            .transformDeferred(CircuitBreakerOperator.of(guard.breaker()))
            .onErrorMap(CallNotPermittedException.class, open -> ProviderException
                .of(ProviderStatus.CIRCUIT_OPEN, "CIRCUIT_OPEN",
                        "recent calls to this provider failed; not calling it for a while")
                .build());
    }

    /**
     * The call waits its turn for a permit of this replica's quota ({@link PermitQueue}: continuations first, then
     * by priority and share), at most as long as its budget leaves room for an attempt after the wait.
     */
    private static <T> Mono<T> inTurn(InstanceGuard guard, CallBudget budget, Mono<T> call) {
        return Mono.defer(() -> {
            PermitQueue.Lane lane = PermitQueue.Lane.of(budget);
            Duration maxWait = waitAllowance(guard, budget.remaining());
            if (maxWait.isNegative()) {
                guard.meters().permits().refused(lane);
                return Mono.error(ownQuotaFull(guard, "no time was left to wait for a permit"));
            }
            return guard.permits().acquire(budget, lane, () -> waitAllowance(guard, budget.remaining()))
                .onErrorMap(PermitQueue.Refused.class, refused -> ownQuotaFull(guard, refused.getMessage()))
                .flatMap(permit -> started(guard, guard.quota(), permit, budget::remaining, call));
        });
    }

    /**
     * In cluster mode, the quota all replicas share must grant the call too, once this replica's own has, or (when
     * that cannot be asked) this replica's fixed share of it.
     */
    private static <T> Mono<T> withSharedQuota(InstanceGuard guard, Supplier<Duration> remaining, Mono<T> call) {
        if (guard.shared() == SharedQuota.NONE) {
            return call;
        }
        return Mono.defer(() -> guard.shared().acquire(waitAllowance(guard, remaining.get())))
            .flatMap(grant -> switch (grant.kind()) {
                case GRANTED -> call;
                case REFUSED -> Mono.<T>error(quotaExhausted(guard));
                case LOCAL_SHARE -> withLocalQuota(guard, grant.share(), remaining, () -> quotaExhausted(guard),
                        Mono.fromRunnable(grant.onStart()).then(call));
            });
    }

    /** What {@link CallBudget#waitAllowance} allows of the time the call has left. */
    private static Duration waitAllowance(InstanceGuard guard, Duration remaining) {
        return CallBudget.waitAllowance(remaining, guard.instance().retry().attemptTimeout());
    }

    /**
     * A start reserved directly in {@code quota}, for calls that do not queue: redirect hops, and the replica's
     * own share while the shared quota cannot be asked.
     *
     * @param remaining the time the call has left: the request's budget, or for a hop what its attempt has left
     * @param noTimeLeft the failure when {@code remaining} leaves no room for a call, before the quota is asked
     */
    private static <T> Mono<T> withLocalQuota(InstanceGuard guard, SlidingWindowQuota quota,
            Supplier<Duration> remaining, Supplier<ProviderException> noTimeLeft, Mono<T> call) {
        return Mono.defer(() -> {
            Duration maxWait = waitAllowance(guard, remaining.get());
            if (maxWait.isNegative()) {
                return Mono.error(noTimeLeft.get());
            }
            SlidingWindowQuota.Permit permit = quota.reserve(maxWait);
            if (permit == null) {
                return Mono.error(quotaExhausted(guard));
            }
            Mono<T> start = started(guard, quota, permit, remaining, call);
            if (permit.delay().isZero()) {
                return start;
            }
            AtomicInteger waiting = guard.meters().permits().waiting();
            waiting.incrementAndGet();
            return Mono.delay(permit.delay())
                .doOnCancel(() -> quota.release(permit))
                .doFinally(done -> waiting.decrementAndGet())
                .then(start);
        });
    }

    /**
     * The call starts on its permit, a little later still if the call the quota's window counts back to really
     * started later than it was given to.
     */
    private static <T> Mono<T> started(InstanceGuard guard, SlidingWindowQuota quota,
            SlidingWindowQuota.Permit permit, Supplier<Duration> remaining, Mono<T> call) {
        // The quota counts the call from when its request really goes out (RequestSent), not only from here.
        Mono<T> counted = call.contextWrite(context -> context.put(RequestSent.KEY,
                ((RequestSent) () -> quota.sent(permit)).andThen(context.getOrDefault(RequestSent.KEY, null))));
        return Mono.defer(() -> {
            Duration late = quota.starting(permit);
            if (late.isZero()) {
                return counted;
            }
            if (late.compareTo(remaining.get().minus(MIN_ATTEMPT)) > 0) {
                quota.notStarting(permit);
                return Mono.error(quotaExhausted(guard));
            }
            return Mono.delay(late).then(counted);
        });
    }

    private Retry retries(CallBudget budget) {
        int maxAttempts = guard.instance().retry().maxAttempts();
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            if (!(failure instanceof ProviderException classified) || !classified.retryable()
                    || signal.totalRetries() + 1 >= maxAttempts) {
                return Mono.error(failure);
            }
            Duration pause = backoff(signal.totalRetries(), classified.retryAfter());
            if (!budget.allowsAnotherAttempt(pause)) {
                return Mono.error(failure);
            }
            if (!guard.retryBudget().tryAcquireRetry()) {
                guard.meters().retriesRefused().increment();
                return Mono.error(failure);
            }
            return Mono.delay(pause);
        }));
    }

    /** The call's outcome for the meters: {@code ok}, or the failure's status (a bounded set). */
    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "ok";
        }
        return failure instanceof ProviderException classified ? classified.status().wireName() : "error";
    }

    /** Exponential backoff with full jitter, or the provider's own Retry-After when it asked for longer. */
    static Duration backoff(long retriesSoFar, Duration retryAfter) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(retriesSoFar, 10));
        Duration jittered = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }

    /** The provider itself said "too many": every caller of this instance waits a while, not just this one. */
    private static void slowDownIfThrottled(InstanceGuard guard, ProviderException failure) {
        if (failure.status() == ProviderStatus.RATE_LIMITED && failure.fromProvider()) {
            guard.quota().pause(guard.throttle().throttled(failure));
        }
    }

    /**
     * A call the quota could not start in time: while the provider's own pause is in force, that pause is why, in
     * the provider's terms and with its code; otherwise our own quota is used up. Only the latter is counted as a
     * quota rejection, since it is what the quota-saturation alert watches.
     */
    private static ProviderException quotaExhausted(InstanceGuard guard) {
        return ownQuotaFull(guard, "no permit could be had in time");
    }

    /** {@link #quotaExhausted} with what the queue or the wait said. */
    private static ProviderException ownQuotaFull(InstanceGuard guard, String detail) {
        ProviderException throttled = guard.throttle().inForce();
        if (throttled != null) {
            return throttled;
        }
        guard.meters().quotaRejections().increment();
        return refused("QUOTA_EXHAUSTED", "our own outbound quota of " + guard.quota().limit()
                + " calls per second to this provider was full: " + detail);
    }

    private static ProviderException refused(String code, String message) {
        return ProviderException.of(ProviderStatus.RATE_LIMITED, code, message).build();
    }

    private static ProviderException timedOut() {
        return ProviderException.of(ProviderStatus.TIMEOUT, "UPSTREAM_TIMEOUT", "no answer in time")
            .retryable(true)
            .build();
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
