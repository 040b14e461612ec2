package dev.roomgate.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.roomgate.config.ConfigurationConstraints.PositiveDuration;

/**
 * Watching a room as a stream of changes ({@code GET /v1/rooms/{roomId}/events}, contract 2.3), under
 * {@code roomgate.watch}.
 *
 * @param pollInterval how often a watched room is read again, by its one loop, for every watcher
 * @param maxStreams open event streams per replica; past it, a 503 problem
 * @param linger how long a room's loop goes on after its last watcher left, so that a reconnecting client finds
 *        it (and the events it missed) still there
 * @param buffer events held for each watcher that has not read them yet; a watcher further behind is dropped
 * @param replay events a room's loop keeps for clients that reconnect with {@code Last-Event-ID}
 */
@Validated
@ConfigurationProperties("roomgate.watch")
public record WatchProperties(@DefaultValue("2s") @PositiveDuration Duration pollInterval,
        @DefaultValue("10000") @Min(1) int maxStreams,
        @DefaultValue("10s") @PositiveDuration(orZero = true, message = ConfigurationConstraints.ZERO_OR_MORE)
                Duration linger,
        @DefaultValue("64") @Min(1) @Max(10000) int buffer,
        @DefaultValue("256") @Min(0) @Max(100000) int replay) {
}
