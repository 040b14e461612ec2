package dev.roomgate.provider;

import reactor.core.publisher.Mono;

/**
 * Lets one more redirect hop of an attempt go out. A hop is an upstream call like any other: the {@link CallPolicy}
 * puts a gate into the Reactor context of every attempt that takes a permit from the same quota the attempt's
 * first call used, counts the call, and waits only as long as the attempt's deadline leaves room for the hop.
 * Without a gate ({@link CallPolicy#direct()}) no redirect is followed.
 */
@FunctionalInterface
public interface RedirectHops {

    /** The Reactor context key of an attempt's gate. */
    Class<RedirectHops> KEY = RedirectHops.class;

    /** Completes when the next hop may start; fails with a classified provider failure when it may not. */
    Mono<Void> next();
}
