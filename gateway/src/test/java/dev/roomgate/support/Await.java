package dev.roomgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The tests' one way to wait for something to happen: ask again until an observable condition holds. The bound only
 * stops a broken run; a passing run goes on as soon as the condition holds, however slow or fast the machine is.
 */
public final class Await {

    /** Far beyond what any healthy run needs, so a busy machine never reaches it. */
    public static final Duration GENEROUSLY = Duration.ofSeconds(60);

    private static final Duration EVERY = Duration.ofMillis(50);

    private Await() {
    }

    /** Until {@code condition} holds; an AssertionError naming {@code what} once the bound has passed. */
    public static void until(String what, Supplier<Boolean> condition, Duration bound) {
        value(what, condition::get, Boolean.TRUE::equals, bound);
    }

    public static void until(String what, Supplier<Boolean> condition) {
        until(what, condition, GENEROUSLY);
    }

    /**
     * Asks {@code probe} until its answer passes {@code done}, and returns that answer. An IOException from the probe
     * (a server not listening yet) counts as "not yet"; an error of any other kind, such as a failed assertion inside
     * the probe, ends the wait at once.
     */
    public static <T> T value(String what, Callable<T> probe, Predicate<? super T> done, Duration bound) {
        // The probes block (sockets, HTTP clients), so they run on a thread meant for that, one at a time.
        return Flux.interval(Duration.ZERO, EVERY, Schedulers.boundedElastic())
            .onBackpressureDrop()
            .concatMap(tick -> Mono.fromCallable(probe).onErrorResume(IOException.class, notYet -> Mono.empty()), 1)
            .filter(done::test)
            .next()
            .switchIfEmpty(Mono.error(() -> new AssertionError(what + ": the probe stopped")))
            .timeout(bound, Mono.error(() -> new AssertionError("not within " + bound + ": " + what)))
            .onErrorMap(UncheckedIOException.class, ex -> new AssertionError(what, ex))
            .block();
    }
}
