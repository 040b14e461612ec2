package dev.roomgate.aggregate;

/** One instance's result, and its room when it reported one. */
record ProviderOutcome(ProviderResult result, Room room) {
}
