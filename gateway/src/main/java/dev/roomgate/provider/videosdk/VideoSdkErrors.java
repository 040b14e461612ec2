package dev.roomgate.provider.videosdk;

import java.time.Duration;
import java.util.Map;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.HttpFailures;
import dev.roomgate.provider.UpstreamReply;
import dev.roomgate.schema.ProviderStatus;

/**
 * VideoSDK's error classes, as one table keyed by HTTP status (providers.md 8.3). VideoSDK publishes no error table;
 * these are the classes its own server SDK gives each status, which is the contract the vendor expects clients to
 * keep. Its bodies are undocumented, so only the status decides; a {@code code} in the body is kept, not read.
 */
final class VideoSdkErrors {

    /** What a status makes of a call. */
    enum Verdict {

        /** Nothing to read: the session or stream is not there (the SDK's RoomNotFoundError). */
        GONE(null, null, false),

        /** Our request or account is wrong: asking again gets the same answer. */
        PERMANENT(ProviderStatus.UPSTREAM_ERROR, null, false),

        /** VideoSDK's passing fault: retried within the budget, as its own client does for idempotent calls. */
        TRANSIENT(ProviderStatus.UPSTREAM_ERROR, null, true),

        /** Our token was refused, or is not allowed on server APIs. */
        REFUSED(ProviderStatus.AUTH_FAILED, "UPSTREAM_AUTH_REJECTED", false),

        /** VideoSDK's rate limit: the instance backs off, its Retry-After or 1 s doubling to {@link #MAX_BACKOFF}. */
        THROTTLED(ProviderStatus.RATE_LIMITED, "UPSTREAM_RATE_LIMITED", true);

        private final ProviderStatus status;

        /** The stable code; null for {@code UPSTREAM_HTTP_<status>}, as the other providers' HTTP errors have. */
        private final String code;

        private final boolean retryable;

        Verdict(ProviderStatus status, String code, boolean retryable) {
            this.status = status;
            this.code = code;
            this.retryable = retryable;
        }
    }

    /** A known status: its verdict, and what it means in our words. */
    record Row(Verdict verdict, String meaning) {
    }

    /** VideoSDK's own client doubles its wait from 1 s and stops at 8 s. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private static final Map<Integer, Row> TABLE = Map.ofEntries(
            row(400, Verdict.PERMANENT, "VideoSDK found our request invalid"),
            row(401, Verdict.REFUSED, "VideoSDK refused our token (bad signature, expired, or wrong key)"),
            // providers.md 8.3: a token of the rtc role is refused on server APIs this way.
            row(403, Verdict.REFUSED, "VideoSDK does not let our token call server APIs"),
            // VideoSDK's client counts 402 with 404 as "room not found" (providers.md 8.3); what makes a server send
            // 402 is UNCONFIRMED, and taking it as "not there" is what the vendor's own code does.
            row(402, Verdict.GONE, "VideoSDK has no such session or stream"),
            row(404, Verdict.GONE, "VideoSDK has no such session or stream"),
            row(409, Verdict.PERMANENT, "VideoSDK reported a conflict with the resource's state"),
            row(429, Verdict.THROTTLED, "VideoSDK's rate limit refused the call"),
            row(500, Verdict.TRANSIENT, "VideoSDK had an internal server error"),
            row(501, Verdict.PERMANENT, "VideoSDK does not implement the call"),
            row(502, Verdict.TRANSIENT, "VideoSDK's gateway had no answer from its servers"),
            row(503, Verdict.TRANSIENT, "VideoSDK was unavailable"),
            row(504, Verdict.TRANSIENT, "VideoSDK's gateway timed out"));

    private VideoSdkErrors() {
    }

    private static Map.Entry<Integer, Row> row(int status, Verdict verdict, String meaning) {
        return Map.entry(status, new Row(verdict, meaning));
    }

    /** The table's verdict; a status it lacks is transient if 5xx (VideoSDK's client retries those), else permanent. */
    static Verdict verdictOf(int status) {
        Row row = TABLE.get(status);
        if (row != null) {
            return row.verdict();
        }
        return status >= 500 && status <= 599 ? Verdict.TRANSIENT : Verdict.PERMANENT;
    }

    /**
     * The failure a non-2xx reply is; never called for a {@link Verdict#GONE} status, which is an answer.
     *
     * @param upstreamCode {@code code} or {@code errorCode} from the body, where there was one
     */
    static ProviderException failure(UpstreamReply reply, String upstreamCode) {
        int status = reply.status();
        Verdict verdict = verdictOf(status);
        if (verdict == Verdict.GONE) {
            throw new IllegalArgumentException("HTTP " + status + " is an answer, not a failure");
        }
        Row row = TABLE.get(status);
        String meaning = row != null ? row.meaning() : "VideoSDK answered an unexpected error";
        ProviderException.Builder failure = ProviderException.of(verdict.status,
                verdict.code != null ? verdict.code : "UPSTREAM_HTTP_" + status,
                meaning + " (HTTP " + status + ")")
            .answered(status, upstreamCode)
            .retryable(verdict.retryable);
        if (verdict == Verdict.THROTTLED) {
            failure.retryAfter(HttpFailures.retryAfter(reply)).backoffAtMost(MAX_BACKOFF);
        }
        return failure.build();
    }
}
