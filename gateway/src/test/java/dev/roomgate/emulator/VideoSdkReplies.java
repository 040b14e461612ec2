package dev.roomgate.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** VideoSDK v2 reply bodies, shaped after the published examples (seed 004, fetch-sessions). */
final class VideoSdkReplies {

    /** Always milliseconds, as VideoSDK writes them; Instant.toString() drops zero fractions. */
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    /** One page of a listing, as pageInfo reports it. */
    record Page(int currentPage, int perPage, int total) {

        int lastPage() {
            return Math.max(1, (total + perPage - 1) / perPage);
        }

        <T> List<T> slice(List<T> all) {
            long from = (long) (currentPage - 1) * perPage;
            if (from >= all.size()) {
                return List.of();
            }
            return all.subList((int) from, (int) Math.min(all.size(), from + perPage));
        }
    }

    private final String baseUrl;

    private final String apiKey;

    VideoSdkReplies(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    static Reply error(int status, String error, String message) {
        ObjectNode body = Json.object();
        body.put("statusCode", status);
        body.put("error", error);
        body.put("message", message);
        return Reply.json(status, Json.write(body));
    }

    Reply sessions(Page page, List<VideoSdkEmulator.Stored> sessions) {
        ObjectNode body = pageInfo(page);
        ArrayNode data = body.putArray("data");
        for (VideoSdkEmulator.Stored stored : page.slice(sessions)) {
            VideoSdkSession session = stored.session();
            ObjectNode node = data.addObject();
            node.put("id", session.sessionId());
            node.put("roomId", session.roomId());
            node.put("start", iso(session.start()));
            putInstant(node, "end", stored.end());
            ArrayNode participants = node.putArray("participants");
            for (VideoSdkParticipant participant : session.participants()) {
                ObjectNode p = participants.addObject();
                p.put("participantId", participant.participantId());
                p.put("name", participant.name());
                p.set("timelog", timelog(participant, stored.end()));
            }
            node.put("status", stored.end() == null ? "ongoing" : "ended");
            ObjectNode links = node.putObject("links");
            links.put("get_room", baseUrl + "/v2/rooms/" + session.roomId());
            links.put("get_session", baseUrl + "/v2/sessions/" + session.sessionId());
        }
        return Reply.json(200, Json.write(body));
    }

    /** The active-participants listing: {@code data} is an array holding one session-shaped object. */
    Reply activeParticipants(Page page, VideoSdkEmulator.Stored stored, List<VideoSdkParticipant> active) {
        VideoSdkSession session = stored.session();
        ObjectNode body = pageInfo(page);
        ObjectNode node = body.putArray("data").addObject();
        node.put("_id", session.sessionId());
        node.put("apiKey", apiKey);
        node.put("start", iso(session.start()));
        putInstant(node, "end", stored.end());
        ArrayNode participants = node.putArray("participants");
        page.slice(active).forEach(participant -> participants.add(activeParticipant(participant)));
        node.put("region", session.region());
        node.putArray("hlsLog");
        node.put("roomId", session.roomId());
        node.put("status", stored.end() == null ? "ongoing" : "ended");
        ObjectNode links = node.putObject("links");
        links.put("get_session", baseUrl + "/v2/sessions/" + session.sessionId());
        links.put("get_all_participants", baseUrl + "/v2/sessions/" + session.sessionId() + "/participants");
        return Reply.json(200, Json.write(body));
    }

    private ObjectNode activeParticipant(VideoSdkParticipant participant) {
        ObjectNode node = Json.object();
        node.put("participantId", participant.participantId());
        node.put("name", participant.name());
        // On/off intervals per kind (providers.md 9.2, seed 004): the sample's arrays are empty, so the element shape
        // {start, end} is unconfirmed; a kind switched on at the current stay's start has one open interval.
        ObjectNode events = node.putObject("events");
        Instant since = participant.timelogStarts().get(participant.timelogStarts().size() - 1);
        interval(events.putArray("mic"), participant.micOn(), since);
        interval(events.putArray("webcam"), participant.webcamOn(), since);
        events.putArray("screenShare");
        events.putArray("screenShareAudio");
        node.set("timelog", timelog(participant, null));
        node.put("initTime", 0.123);
        ObjectNode device = node.putObject("deviceInfo");
        device.put("sdkType", "prebuilt");
        device.put("sdkVersion", "0.3.29");
        device.put("platform", "desktop");
        ObjectNode agent = device.putObject("browserUserAgent");
        agent.putObject("browser").put("name", "Firefox").put("version", "115.0");
        agent.putObject("os").put("name", "Linux");
        agent.putObject("platform").put("type", "desktop");
        ObjectNode modeChange = node.putArray("changeModeHistory").addObject();
        modeChange.put("mode", participant.mode());
        modeChange.put("timelog", iso(participant.timelogStarts().get(0)));
        modeChange.put("_id", derivedId(participant.recordId()));
        node.put("mode", participant.mode());
        node.put("_id", participant.recordId());
        ObjectNode geo = node.putObject("geoLocation");
        geo.put("city", participant.city());
        geo.put("region", "");
        geo.put("country", participant.country());
        return node;
    }

    private static void interval(ArrayNode intervals, boolean on, Instant since) {
        if (on) {
            ObjectNode open = intervals.addObject();
            open.put("start", iso(since));
            open.putNull("end");
        }
    }

    /** One entry per stay; earlier stays end halfway to the next start, the last ends with the session. */
    private static ArrayNode timelog(VideoSdkParticipant participant, Instant sessionEnd) {
        ArrayNode timelog = Json.array();
        List<Instant> starts = participant.timelogStarts();
        for (int i = 0; i < starts.size(); i++) {
            ObjectNode entry = timelog.addObject();
            entry.put("start", iso(starts.get(i)));
            if (i + 1 < starts.size()) {
                long gapMs = starts.get(i + 1).toEpochMilli() - starts.get(i).toEpochMilli();
                entry.put("end", iso(starts.get(i).plusMillis(Math.max(0, gapMs / 2))));
            }
            else {
                putInstant(entry, "end", sessionEnd);
            }
        }
        return timelog;
    }

    private static ObjectNode pageInfo(Page page) {
        ObjectNode body = Json.object();
        ObjectNode info = body.putObject("pageInfo");
        info.put("currentPage", page.currentPage());
        info.put("perPage", page.perPage());
        info.put("lastPage", page.lastPage());
        info.put("total", page.total());
        return body;
    }

    private static void putInstant(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            node.putNull(field);
        }
        else {
            node.put(field, iso(instant));
        }
    }

    /**
     * The room's live HLS stream as {@code GET /v2/hls/{roomId}/active} answers it (providers.md 6.3, from VideoSDK's
     * "Fetch active HLS" sample): the stream of the ongoing session, {@code end} null while it runs.
     */
    Reply activeHls(VideoSdkSession session, Instant hlsStart) {
        ObjectNode body = Json.object();
        ObjectNode data = body.putObject("data");
        data.put("sessionId", session.sessionId());
        data.put("start", iso(hlsStart));
        data.putNull("end");
        data.put("roomId", session.roomId());
        data.put("duration", 75.173);
        ObjectNode links = data.putObject("links");
        links.put("get_room", baseUrl + "/v2/rooms/" + session.roomId());
        links.put("get_session", baseUrl + "/v2/sessions/" + session.sessionId());
        data.put("downstreamUrl", "https://cdn.videosdk.live/meetings-hls/" + session.sessionId() + "/index.m3u8");
        data.put("id", derivedId("hls:" + session.sessionId()));
        return Reply.json(200, Json.write(body));
    }

    private static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** A stable 24-hex id for records the model does not name, so repeated listings agree. */
    private static String derivedId(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }
}
