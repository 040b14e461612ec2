package dev.roomgate.aggregate;

import java.time.Duration;

/**
 * One instance's result, and its room when it reported one.
 *
 * @param freshFor how much longer this part of the answer may be reused
 * @param age how old this part of the answer is; null when fetched for this request
 */
record ProviderOutcome(ProviderResult result, Room room, Duration freshFor, Duration age) {
}
