package dev.roomgate.emulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Emulates VideoSDK's {@code GET /v2/sessions}, {@code GET /v2/sessions/{id}/participants/active} and
 * {@code GET /v2/hls/{roomId}/active} with its JWT check (providers.md 3 and 6.3). The active-participants listing
 * never sends more than {@link #maxPerPage(int)} per page, whatever the client asks. API names: {@value #SESSIONS},
 * {@value #ACTIVE_PARTICIPANTS}, {@value #ACTIVE_HLS}.
 */
public final class VideoSdkEmulator extends ProviderEmulator<VideoSdkEmulator> {

    public static final String SESSIONS = "sessions";

    public static final String ACTIVE_PARTICIPANTS = "participants/active";

    public static final String ACTIVE_HLS = "hls/active";

    private static final int DEFAULT_PER_PAGE = 20;

    private static final int MAX_SESSIONS_PER_PAGE = 100;

    private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,8}");

    /** A session with the moment it ended, null while it is ongoing. */
    record Stored(VideoSdkSession session, Instant end) {
    }

    private final String apiKey;

    private final VideoSdkTokenVerifier verifier;

    private final Map<String, Stored> sessions = new ConcurrentHashMap<>();

    private volatile int maxPerPage = 10;

    /** Rooms whose HLS stream is live, with when it started. */
    private final Map<String, Instant> liveHls = new ConcurrentHashMap<>();

    private volatile int hlsFailure;

    public VideoSdkEmulator(String apiKey, String secret) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.verifier = new VideoSdkTokenVerifier(apiKey, Objects.requireNonNull(secret, "secret"));
    }

    /** Adds an ongoing session, replacing one with the same id. */
    public VideoSdkEmulator addSession(VideoSdkSession session) {
        sessions.put(session.sessionId(), new Stored(session, null));
        return this;
    }

    /** Ends every ongoing session of the room now; they stay listed with status {@code ended}. */
    public void endSession(String roomId) {
        Instant now = Instant.now();
        sessions.replaceAll((id, stored) -> stored.end() == null && stored.session().roomId().equals(roomId)
                ? new Stored(stored.session(), now) : stored);
    }

    /** The room's ongoing session starts streaming over HLS. */
    public VideoSdkEmulator startHls(String roomId) {
        liveHls.put(roomId, Instant.now());
        return this;
    }

    public void stopHls(String roomId) {
        liveHls.remove(roomId);
    }

    /** Only the HLS call fails, with this status, until the faults are cleared. */
    public void hlsFailsWith(int httpStatus) {
        this.hlsFailure = httpStatus;
    }

    @Override
    public void clearFaults() {
        super.clearFaults();
        hlsFailure = 0;
    }

    /** The most participants one active-participants page holds (default 10). */
    public VideoSdkEmulator maxPerPage(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPerPage must be positive: " + max);
        }
        this.maxPerPage = max;
        return this;
    }

    @Override
    String apiName(RecordedRequest request) {
        List<String> path = request.getUrl().pathSegments();
        if (path.size() == 4 && path.get(0).equals("v2") && path.get(1).equals("hls") && !path.get(2).isEmpty()
                && path.get(3).equals("active")) {
            return ACTIVE_HLS;
        }
        boolean underSessions = path.size() >= 2 && path.get(0).equals("v2") && path.get(1).equals("sessions");
        if (underSessions && (path.size() == 2 || path.size() == 3 && path.get(2).isEmpty())) {
            return SESSIONS;
        }
        boolean active = underSessions && path.size() == 5 && !path.get(2).isEmpty()
                && path.get(3).equals("participants") && path.get(4).equals("active");
        return active ? ACTIVE_PARTICIPANTS : null;
    }

    @Override
    Reply handle(RecordedRequest request) {
        String api = apiName(request);
        if (api == null) {
            return VideoSdkReplies.error(404, "Not Found", "not found");
        }
        if (!"GET".equals(request.getMethod())) {
            return VideoSdkReplies.error(405, "Method Not Allowed", request.getMethod() + " is not supported");
        }
        VideoSdkTokenVerifier.Rejection rejection = verifier.verify(request.getHeaders().get("Authorization"),
                System.currentTimeMillis() / 1000);
        if (rejection != null) {
            return VideoSdkReplies.error(rejection.status(), rejection.status() == 403 ? "Forbidden" : "Unauthorized",
                    rejection.message());
        }
        HttpUrl url = request.getUrl();
        Integer page = positive(url.queryParameter("page"), 1);
        Integer perPage = positive(url.queryParameter("perPage"), DEFAULT_PER_PAGE);
        if (page == null || perPage == null) {
            return VideoSdkReplies.error(400, "Bad Request", "page and perPage must be positive integers");
        }
        VideoSdkReplies replies = new VideoSdkReplies(baseUrl(), apiKey);
        if (api.equals(ACTIVE_HLS)) {
            return activeHls(url.pathSegments().get(2), replies);
        }
        if (api.equals(SESSIONS)) {
            List<Stored> matching = matchingSessions(url.queryParameter("roomId"), url.queryParameter("status"));
            return replies.sessions(new VideoSdkReplies.Page(page, Math.min(perPage, MAX_SESSIONS_PER_PAGE),
                    matching.size()), matching);
        }
        Stored stored = sessions.get(url.pathSegments().get(2));
        if (stored == null) {
            return VideoSdkReplies.error(404, "Not Found", "session not found");
        }
        List<VideoSdkParticipant> active = stored.end() == null ? stored.session().participants() : List.of();
        return replies.activeParticipants(new VideoSdkReplies.Page(page, Math.min(perPage, maxPerPage),
                active.size()), stored, active);
    }

    /** 404 when no stream is live ("Throws (404) if none is active", providers.md 6.3; its body is unconfirmed). */
    private Reply activeHls(String roomId, VideoSdkReplies replies) {
        if (hlsFailure != 0) {
            return VideoSdkReplies.error(hlsFailure, "Error", "hls status unavailable");
        }
        Instant started = liveHls.get(roomId);
        List<Stored> ongoing = matchingSessions(roomId, "ongoing");
        if (started == null || ongoing.isEmpty()) {
            return VideoSdkReplies.error(404, "Not Found", "no active hls found for this room");
        }
        return replies.activeHls(ongoing.get(0).session(), started);
    }

    /** Newest first; a filter left out matches everything. */
    private List<Stored> matchingSessions(String roomId, String status) {
        return sessions.values()
            .stream()
            .filter(stored -> roomId == null || stored.session().roomId().equals(roomId))
            .filter(stored -> status == null || status.equals(stored.end() == null ? "ongoing" : "ended"))
            .sorted(Comparator.comparing((Stored stored) -> stored.session().start()).reversed())
            .toList();
    }

    /** The parsed value, the default when absent, or null when it is not a positive integer. */
    private static Integer positive(String value, int absent) {
        if (value == null) {
            return absent;
        }
        return POSITIVE.matcher(value).matches() ? Integer.valueOf(value) : null;
    }
}
