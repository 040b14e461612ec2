package dev.roomgate.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code roomgate.server.*} keys: how long the main port waits for clients, and how many it holds at once. Kept
 * apart from {@link RoomgateProperties}, since only the server reads them; like those, they are validated by Bean
 * Validation at binding (a bad value stops start-up with one line naming the key).
 *
 * @param requestHeaderTimeout a request's headers must have arrived this long after the connection opened, or after
 *        the first byte of a later request on a kept-alive connection; otherwise the connection is closed (with a
 *        {@code 408} when part of a request had arrived). A slow client's dribbled headers cannot hold a connection
 * @param idleTimeout a kept-alive connection with no request under way, and no byte read or written, is closed after
 *        this long
 * @param maxConnections open connections to the main port per replica; one more is closed at once, so that a flood
 *        of connections cannot starve the event loops or the heap. The default fits the Deployment's memory (see
 *        {@code k8s/base/deployment.yaml}): 768 MiB with the heap at 60 %, about 460 MiB. An open connection costs
 *        (an estimate, not a measurement) a few KiB of heap while idle and up to about 50 KiB while it reads its
 *        headers (decoder buffer up to the 8 KiB header limit) and holds its exchange; 2000 of them at that worst
 *        case use about 100 MiB, a fifth of the heap, and leave the rest to the answer cache and the answers in
 *        flight. Raise it with the memory limit
 * @param maxInFlightPerCore API requests (room, fleet, providers) being answered at once per core, past which one
 *        more is shed: answered 503 {@code overloaded} with {@code Retry-After} before any work. Uncached answers
 *        wait on their providers, so this is what bounds the memory a slow provider piles up (an answer in flight
 *        holds its upstream bodies and document, up to about 100 KiB for the benchmark's 55-participant rooms: 512
 *        of them are about 50 MiB of the heap). It is set above what a herd of identical requests needs, since those
 *        share one lookup and cost little while they wait; the CPU is guarded by the event-loop lag instead. See the
 *        README's "Load shedding"
 * @param maxEventLoopLag how late an event loop may run its periodic probe, on three probes in a row, before new API
 *        requests on that loop are shed. The lag is the time a request read now waits behind the loop's other work:
 *        the queue that the in-flight cap cannot see (cache hits finish within one turn of the loop). Three in a
 *        row, so that a garbage collection or one slow turn does not shed
 */
@Validated
@ConfigurationProperties("roomgate.server")
public record ServerProperties(@DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration requestHeaderTimeout,
        @DefaultValue("60s") @NotNull @DurationMin(millis = 1) Duration idleTimeout,
        @DefaultValue("2000") @Min(1) @Max(1_000_000) int maxConnections,
        @DefaultValue("512") @Min(1) @Max(1_000_000) int maxInFlightPerCore,
        @DefaultValue("500ms") @NotNull @DurationMin(millis = 1) Duration maxEventLoopLag) {

    /** The in-flight cap of this replica: {@code max-in-flight-per-core} times the processors the JVM may use. */
    public int maxInFlight(int processors) {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxInFlightPerCore * Math.max(1, processors));
    }
}
