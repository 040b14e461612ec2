package dev.roomgate.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.webhook.WebhookJson.Rejected;

/**
 * Tencent live-engine (TUILiveKit) webhooks (providers.md 7.3): {@code POST <url>?SdkAppid=…&CallbackCommand=…
 * &RequestTime=…&Sign=…} with a JSON body. Query keys are read case-insensitively (the docs write both
 * {@code SdkAppid} and {@code SdkAppId}). {@code SdkAppid} must be the instance's own, as Tencent tells backends to
 * check.
 * <p>
 * UNCONFIRMED (providers.md 7.3): the signature scheme below is recalled from Tencent Chat's webhook security
 * section, not read from the live engine's own page: {@code Sign} = hex SHA-256 of {@code Token + RequestTime}
 * (either hex case is accepted), {@code RequestTime} in unix seconds and at most {@link #FRESHNESS} from our clock.
 * Confirm against Tencent's "Security Considerations" text before relying on it. Even so, the signature covers the
 * token and the time, not the body: within the minute a captured request's signature fits any body. That is why a
 * webhook is only a hint that makes us read the room again.
 */
public final class TencentWebhookVerifier implements WebhookVerifier {

    /** How far {@code RequestTime} may be from our clock, either way ("stale requests (≈1 minute)"). */
    static final Duration FRESHNESS = Duration.ofSeconds(60);

    static final String DESTROY_ROOM = "Live.CallbackAfterDestroyRoom";

    private final String instance;

    private final long sdkAppId;

    private final Secret token;

    private final Clock clock;

    /**
     * @param sdkAppId the instance's SDKAppID, which every webhook must name
     * @param token the callback token set in Tencent's console
     */
    public TencentWebhookVerifier(String instance, long sdkAppId, Secret token, Clock clock) {
        this.instance = instance;
        this.sdkAppId = sdkAppId;
        this.token = token;
        this.clock = clock;
    }

    @Override
    public ProviderType type() {
        return ProviderType.TENCENT;
    }

    @Override
    public WebhookVerdict verify(WebhookRequest request) {
        try {
            checkAppId(request.queryParameter("SdkAppid"));
            checkSign(request.queryParameter("RequestTime"), request.queryParameter("Sign"));
            return event(request.queryParameter("CallbackCommand"), request.queryParameter("RequestTime").strip(),
                    WebhookJson.object(request.rawBody()));
        }
        catch (Rejected rejected) {
            return rejected.rejection();
        }
    }

    private void checkAppId(String sent) {
        if (sent == null || sent.isBlank()) {
            throw signature("no SdkAppid query parameter");
        }
        if (!String.valueOf(sdkAppId).equals(sent.strip())) {
            throw signature("the SdkAppid is not this instance's sdk-app-id");
        }
    }

    private void checkSign(String requestTime, String sign) {
        if (requestTime == null || requestTime.isBlank() || sign == null || sign.isBlank()) {
            throw signature("no RequestTime and Sign query parameters; set a callback token in Tencent's console");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(requestTime.strip());
        }
        catch (NumberFormatException ex) {
            throw signature("the RequestTime is not unix seconds");
        }
        // The signature before the time: a forger learns nothing about our clock.
        byte[] expected = HexFormat.of().formatHex(WebhookJson.sha256(concat(token.utf8(),
                requestTime.strip().getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sign.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
            throw signature("the Sign does not match this instance's callback token");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - sentAt) > FRESHNESS.toSeconds()) {
            throw signature("the RequestTime is more than 60 s from our clock; check that both clocks are right");
        }
    }

    /**
     * The command is the query's ({@code CallbackCommand}), or the body's when the query has none. Deliveries of one
     * event share command, room, {@code EventTime} (milliseconds), event type and members; a body without an
     * {@code EventTime} has the request's second in its place, so that identical events a second apart stay two.
     */
    private WebhookEvent event(String queryCommand, String requestTime, JsonNode body) {
        String bodyCommand = WebhookJson.text(body.path("CallbackCommand"));
        if (queryCommand != null && bodyCommand != null && !queryCommand.strip().equals(bodyCommand.strip())) {
            throw new Rejected(WebhookRejection.body("the CallbackCommand of the query and of the body differ"));
        }
        String command = queryCommand != null && !queryCommand.isBlank() ? queryCommand.strip()
                : WebhookJson.required(body.path("CallbackCommand"), "command (CallbackCommand)");
        String roomId = WebhookJson.text(body.path("RoomId"));
        roomId = roomId != null ? roomId : WebhookJson.required(body.path("RoomInfo").path("RoomId"), "room (RoomId)");
        String eventTime = WebhookJson.text(body.path("EventTime"));
        List<String> members = new ArrayList<>();
        body.path("MemberList").forEach(member -> members.add(String.valueOf(
                WebhookJson.text(member.path("Member_Account")))));
        String dedupeKey = String.join("|", command, roomId, eventTime != null ? eventTime : "sent:" + requestTime,
                String.valueOf(WebhookJson.text(body.path("EventType"))), String.join(",", members));
        return new WebhookEvent(instance, ProviderType.TENCENT, roomId, command, dedupeKey,
                DESTROY_ROOM.equals(command));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Rejected signature(String detail) {
        return new Rejected(WebhookRejection.signature(detail));
    }
}
