package dev.roomgate.provider.tencent;

import java.util.Map;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.schema.ProviderStatus;

/** What Tencent's {@code ErrorCode} values mean for us (REST common codes and live-engine codes). */
final class TencentErrors {

    static final int ROOM_NOT_FOUND = 100004;

    static final int USERSIG_EXPIRED = 70001;

    private static final int INTERNAL_RETRY = 100001;

    // Tencent's own frequency limits, in its words (providers.md 2.5: which of them signals more than 200 q/s is
    // unconfirmed, so all four are the provider throttling us).
    private static final Map<Integer, String> THROTTLED = Map.of(
            60007, "Tencent's frequency limit for this REST API was exceeded (60007)",
            60011, "Tencent's frequency limit for this SDKAppID was exceeded (60011)",
            60018, "Tencent refused the call as one of too many requests (60018)",
            60019, "Tencent refused the call as one of too many requests (60019)");

    private TencentErrors() {
    }

    /** Tencent reports these in the body of an HTTP 200. */
    static ProviderException classify(int errorCode) {
        String upstream = Integer.toString(errorCode);
        if (THROTTLED.containsKey(errorCode)) {
            return ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                    THROTTLED.get(errorCode)).answered(200, upstream).retryable(true).build();
        }
        if (errorCode >= 70001 && errorCode <= 70020) {
            // An expired UserSig is fixed by minting a new one, so that one case is worth another attempt.
            return ProviderException.of(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED",
                    "Tencent rejected our UserSig").answered(200, upstream)
                .retryable(errorCode == USERSIG_EXPIRED)
                .build();
        }
        boolean internal = errorCode == INTERNAL_RETRY;
        return ProviderException.of(ProviderStatus.UPSTREAM_ERROR,
                internal ? "UPSTREAM_INTERNAL_ERROR" : "UPSTREAM_REJECTED", "Tencent answered error " + errorCode)
            .answered(200, upstream)
            .retryable(internal)
            .build();
    }
}
