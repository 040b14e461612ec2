package dev.roomgate.provider.tencent;

import java.util.Set;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.schema.ProviderStatus;

/** What Tencent's {@code ErrorCode} values mean for us (REST common codes and live-engine codes). */
final class TencentErrors {

    static final int ROOM_NOT_FOUND = 100004;

    static final int USERSIG_EXPIRED = 70001;

    private static final int INTERNAL_RETRY = 100001;

    private static final Set<Integer> THROTTLED = Set.of(60007, 60011, 60018, 60019);

    private TencentErrors() {
    }

    /** Tencent reports these in the body of an HTTP 200. */
    static ProviderException classify(int errorCode) {
        String upstream = Integer.toString(errorCode);
        if (THROTTLED.contains(errorCode)) {
            return ProviderException.of(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED",
                    "Tencent is throttling our calls").answered(200, upstream).retryable(true).build();
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
