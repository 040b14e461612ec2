package dev.roomgate.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.roomgate.config.ConfigurationConstraints.PositiveDuration;

/**
 * The fleet view ({@code GET /v1/rooms}, contract 2.1), under {@code roomgate.fleet}.
 *
 * @param freshFor how long one instance's room listing is reused, for every client
 * @param maxStale how old a listing may be and still be served {@code stale} while a refresh fails
 * @param listingTimeout how long one read of a listing may take, all its pages included; a request waits for it
 *        only its instance's {@code timeout}, and the read goes on for the requests after it
 */
@Validated
@ConfigurationProperties("roomgate.fleet")
public record FleetProperties(@DefaultValue("5s") @PositiveDuration Duration freshFor,
        @DefaultValue("60s") @PositiveDuration(orZero = true, message = ConfigurationConstraints.ZERO_OR_MORE)
                Duration maxStale,
        @DefaultValue("30s") @PositiveDuration Duration listingTimeout) {
}
