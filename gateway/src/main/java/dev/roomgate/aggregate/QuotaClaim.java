package dev.roomgate.aggregate;

import dev.roomgate.config.Priority;

/**
 * Who a lookup spends outbound quota for, and how it ranks when an instance's quota is contended: the key's
 * {@code priority} and {@code quota-share} (contract 2.6). It rides on the {@link CallBudget}, so every stage that
 * spends quota for the lookup (cache, cluster, call policy) spends it in the same client's name.
 *
 * @param client whom the share belongs to: {@code key:<name>}, {@code sub:<subject>} or {@code ip:<address>}
 * @param label the client as a metric tag, from a closed set: the key's name, {@code token} or {@code anonymous}
 * @param share the client's weight in the split of a contended quota (1 or more)
 */
public record QuotaClaim(String client, String label, int share, Priority priority) {

    /** Whoever the API layer did not name: one share, interactive. */
    public static final QuotaClaim DEFAULT = new QuotaClaim("ip:unknown", "anonymous", 1, Priority.INTERACTIVE);

    public QuotaClaim {
        if (share < 1) {
            throw new IllegalArgumentException("a quota share is at least 1");
        }
    }
}
