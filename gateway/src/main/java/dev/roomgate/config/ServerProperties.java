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
 */
@Validated
@ConfigurationProperties("roomgate.server")
public record ServerProperties(@DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration requestHeaderTimeout,
        @DefaultValue("60s") @NotNull @DurationMin(millis = 1) Duration idleTimeout,
        @DefaultValue("2000") @Min(1) @Max(1_000_000) int maxConnections) {
}
