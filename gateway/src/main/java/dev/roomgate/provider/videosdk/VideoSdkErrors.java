package dev.roomgate.provider.videosdk;

import java.time.Duration;
import java.util.Map;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.provider.FailureClass;
import dev.roomgate.provider.HttpFailures;
import dev.roomgate.provider.UpstreamReply;

/**
 * VideoSDK's error classes, as one table keyed by HTTP status (providers.md 8.3). VideoSDK publishes no error table;
 * these are the classes its own server SDK gives each status, which is the contract the vendor expects clients to
 * keep. Its bodies are undocumented, so only the status decides; a {@code code} in the body is kept, not read.
 */
final class VideoSdkErrors {

    /** A known status: its verdict, and what it means in our words. */
    record Row(FailureClass verdict, String meaning) {
    }

    /** VideoSDK's own client doubles its wait from 1 s and stops at 8 s. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private static final Map<Integer, Row> TABLE = Map.ofEntries(
            row(400, FailureClass.PERMANENT, "VideoSDK found our request invalid"),
            row(401, FailureClass.REFUSED, "VideoSDK refused our token (bad signature, expired, or wrong key)"),
            // providers.md 8.3: a token of the rtc role is refused on server APIs this way.
            row(403, FailureClass.REFUSED, "VideoSDK does not let our token call server APIs"),
            // VideoSDK's client counts 402 with 404 as "room not found" (providers.md 8.3); what makes a server send
            // 402 is UNCONFIRMED, and taking it as "not there" is what the vendor's own code does.
            row(402, FailureClass.NOT_FOUND, "VideoSDK has no such session or stream"),
            row(404, FailureClass.NOT_FOUND, "VideoSDK has no such session or stream"),
            row(409, FailureClass.PERMANENT, "VideoSDK reported a conflict with the resource's state"),
            row(429, FailureClass.THROTTLED, "VideoSDK's rate limit refused the call"),
            row(500, FailureClass.TRANSIENT, "VideoSDK had an internal server error"),
            row(501, FailureClass.PERMANENT, "VideoSDK does not implement the call"),
            row(502, FailureClass.TRANSIENT, "VideoSDK's gateway had no answer from its servers"),
            row(503, FailureClass.TRANSIENT, "VideoSDK was unavailable"),
            row(504, FailureClass.TRANSIENT, "VideoSDK's gateway timed out"));

    private VideoSdkErrors() {
    }

    private static Map.Entry<Integer, Row> row(int status, FailureClass verdict, String meaning) {
        return Map.entry(status, new Row(verdict, meaning));
    }

    /** The table's verdict; a status it lacks is transient if 5xx (VideoSDK's client retries those), else permanent. */
    static FailureClass verdictOf(int status) {
        Row row = TABLE.get(status);
        if (row != null) {
            return row.verdict();
        }
        return status >= 500 && status <= 599 ? FailureClass.TRANSIENT : FailureClass.PERMANENT;
    }

    /**
     * The failure a non-2xx reply is; never called for a {@link FailureClass#NOT_FOUND} status, which is an answer.
     *
     * @param upstreamCode {@code code} or {@code errorCode} from the body, where there was one
     */
    static ProviderException failure(UpstreamReply reply, String upstreamCode) {
        int status = reply.status();
        FailureClass verdict = verdictOf(status);
        if (verdict == FailureClass.NOT_FOUND) {
            throw new IllegalArgumentException("HTTP " + status + " is an answer, not a failure");
        }
        Row row = TABLE.get(status);
        String meaning = row != null ? row.meaning() : "VideoSDK answered an unexpected error";
        // The HTTP status is VideoSDK's only code, so its other failures say it, as the other providers' HTTP
        // errors do.
        boolean named = verdict == FailureClass.REFUSED || verdict == FailureClass.THROTTLED;
        ProviderException.Builder failure = ProviderException.of(verdict.status(),
                named ? verdict.code() : "UPSTREAM_HTTP_" + status,
                meaning + " (HTTP " + status + ")")
            .answered(status, upstreamCode)
            .retryable(verdict.retryable());
        if (verdict == FailureClass.THROTTLED) {
            failure.retryAfter(HttpFailures.retryAfter(reply)).backoffAtMost(MAX_BACKOFF);
        }
        return failure.build();
    }
}
