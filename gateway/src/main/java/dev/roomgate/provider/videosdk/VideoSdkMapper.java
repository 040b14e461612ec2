package dev.roomgate.provider.videosdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.roomgate.schema.Media;
import dev.roomgate.schema.MediaState;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;

import static dev.roomgate.provider.WireJson.count;
import static dev.roomgate.provider.WireJson.allowedFields;
import static dev.roomgate.provider.WireJson.invalid;
import static dev.roomgate.provider.WireJson.isAbsent;
import static dev.roomgate.provider.WireJson.isoInstant;
import static dev.roomgate.provider.WireJson.text;

/** Maps VideoSDK v2 sessions and active-participant pages to the schema. */
public final class VideoSdkMapper {

    private static final Set<String> PUBLISHING_MODES = Set.of("CONFERENCE", "SEND_AND_RECV");

    private static final Set<String> VIEWING_MODES = Set.of("VIEWER", "RECV_ONLY", "SIGNALLING_ONLY");

    /**
     * Session fields copied into the room's {@code extensions} (providers.md 3.2, 3.3): {@code region}, the
     * VideoSDK media region serving the session (a data centre, not a person's location); {@code customRoomId}, the
     * application's own name for the room (the same kind of value as {@code roomId}); {@code activeDuration}, how
     * long the session has run. Left out: mapped fields, {@code apiKey} and {@code links} (our account and API
     * addresses), {@code userId} (the account behind the session), {@code chatLink}, {@code hlsLog}, and anything
     * undocumented.
     */
    static final Set<String> SESSION_EXTENSIONS = Set.of("region", "customRoomId", "activeDuration");

    /**
     * Participant fields copied into a participant's {@code extensions} (providers.md 3.3, contract: "deviceInfo,
     * geoLocation and the like"), each with its documented parts only: {@code deviceInfo} names the SDK and the
     * browser/OS family, never the raw user agent; {@code geoLocation} is coarse (city, region, country), no IP or
     * coordinates; {@code initTime} is when the SDK started. Left out: {@code events}, {@code changeModeHistory} and
     * anything undocumented or nested deeper.
     */
    static final Set<String> PARTICIPANT_EXTENSIONS = Set.of("initTime", "deviceInfo", "deviceInfo.sdkType",
            "deviceInfo.sdkVersion", "deviceInfo.platform", "deviceInfo.browserUserAgent",
            "deviceInfo.browserUserAgent.browser", "deviceInfo.browserUserAgent.browser.name",
            "deviceInfo.browserUserAgent.browser.version", "deviceInfo.browserUserAgent.os",
            "deviceInfo.browserUserAgent.os.name", "deviceInfo.browserUserAgent.platform",
            "deviceInfo.browserUserAgent.platform.type", "geoLocation", "geoLocation.city", "geoLocation.region",
            "geoLocation.country");

    private VideoSdkMapper() {
    }

    /** One page of {@code participants/active}. */
    public record ParticipantPage(List<JsonNode> participants, JsonNode session, Integer total, int currentPage,
            Integer lastPage) {

        /**
         * The provider's own end marker decides; without {@code lastPage}, {@code total} does; without either,
         * only an empty page ends the listing.
         */
        public boolean isLast(int fetchedSoFar) {
            if (participants.isEmpty()) {
                return true;
            }
            if (lastPage != null) {
                return currentPage >= lastPage;
            }
            return total != null && fetchedSoFar >= total;
        }
    }

    /** Paging of a {@code GET /v2/sessions} answer: whether pages beyond {@code currentPage} exist. */
    public static boolean hasMoreSessions(JsonNode answer) {
        JsonNode pageInfo = answer.path("pageInfo");
        Integer current = count(pageInfo.get("currentPage"));
        Integer last = count(pageInfo.get("lastPage"));
        return current != null && last != null && current < last;
    }

    /** Every ongoing session of a {@code GET /v2/sessions} answer, in its order. */
    public static List<JsonNode> ongoingSessions(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            throw invalid("VideoSDK sessions answer has no data array");
        }
        List<JsonNode> ongoing = new ArrayList<>();
        for (JsonNode session : data.values()) {
            if (isOngoing(session)) {
                ongoing.add(session);
            }
        }
        return ongoing;
    }

    /**
     * The fleet's rooms from ongoing sessions: one per {@code roomId}, its newest session (a room can show one
     * session per live run, providers.md 6.3). The count is who is in now, by the listing's timelogs (a
     * participant whose last timelog has no end); participants themselves are not listed.
     */
    public static List<Room> toRooms(String instanceName, List<JsonNode> sessions) {
        Map<String, JsonNode> newest = new LinkedHashMap<>();
        for (JsonNode session : sessions) {
            String roomId = text(session.get("roomId"));
            JsonNode kept = roomId == null ? null : newest.get(roomId);
            Instant start = isoInstant(session.get("start"));
            if (kept == null || start != null && (isoInstant(kept.get("start")) == null
                    || start.isAfter(isoInstant(kept.get("start"))))) {
                newest.put(roomId, session);
            }
        }
        return newest.values().stream()
            .map(session -> toRoom(instanceName, session, null, null, presentNow(session)))
            .toList();
    }

    /** Who is in by the session's own timelogs; null when the session lists no participants at all. */
    static Integer presentNow(JsonNode session) {
        JsonNode participants = session.get("participants");
        if (participants == null || !participants.isArray()) {
            return null;
        }
        int present = 0;
        for (JsonNode participant : participants.values()) {
            JsonNode timelog = participant.path("timelog");
            if (timelog.isArray() && !timelog.isEmpty() && isAbsent(timelog.get(timelog.size() - 1).get("end"))) {
                present++;
            }
        }
        return present;
    }

    private static boolean isOngoing(JsonNode session) {
        String status = text(session.get("status"));
        return status != null ? "ongoing".equals(status) : isAbsent(session.get("end"));
    }

    /** The first ongoing session of a {@code GET /v2/sessions} answer, or null when there is none. */
    public static JsonNode ongoingSession(JsonNode answer) {
        List<JsonNode> ongoing = ongoingSessions(answer);
        return ongoing.isEmpty() ? null : ongoing.get(0);
    }

    public static String sessionId(JsonNode session) {
        String id = text(session.get("id"));
        if (id == null || id.isEmpty()) {
            id = text(session.get("_id"));
        }
        if (id == null || id.isEmpty()) {
            throw invalid("VideoSDK session has no id");
        }
        return id;
    }

    public static ParticipantPage toParticipantPage(JsonNode answer, int requestedPage) {
        JsonNode data = answer.path("data");
        // The active listing wraps the session in a one-element array; the all-participants one does not.
        JsonNode session = data.isArray() ? data.path(0) : data;
        List<JsonNode> participants = new ArrayList<>();
        JsonNode list = session.path("participants");
        if (!isAbsent(list)) {
            if (!list.isArray()) {
                throw invalid("VideoSDK participants is not an array");
            }
            list.values().forEach(participants::add);
        }
        JsonNode pageInfo = answer.path("pageInfo");
        Integer current = count(pageInfo.get("currentPage"));
        Integer last = count(pageInfo.get("lastPage"));
        return new ParticipantPage(participants, session.isObject() ? session : null, count(pageInfo.get("total")),
                current == null ? requestedPage : current, last);
    }

    /**
     * @param session the ongoing session from the sessions listing
     * @param activeSession the session object of the first active-participants page, or null
     * @param participants every active participant across pages, or null when not asked for
     * @param total {@code pageInfo.total} of the active listing, or null when not fetched
     */
    public static Room toRoom(String instanceName, JsonNode session, JsonNode activeSession,
            List<JsonNode> participants, Integer total) {
        return toRoom(instanceName, session, activeSession, participants, total, null);
    }

    /** @param streaming whether an HLS stream is live, or null when not asked */
    public static Room toRoom(String instanceName, JsonNode session, JsonNode activeSession,
            List<JsonNode> participants, Integer total, Boolean streaming) {
        String roomId = text(session.get("roomId"));
        if (roomId == null || roomId.isEmpty()) {
            throw invalid("VideoSDK session has no roomId");
        }
        Map<String, Object> extensions = allowedFields(session, SESSION_EXTENSIONS);
        if (activeSession != null) {
            extensions.putAll(allowedFields(activeSession, SESSION_EXTENSIONS));
        }
        List<Participant> mapped = participants == null ? null : distinctById(participants.stream()
            .map(VideoSdkMapper::toParticipant)
            .toList());
        return new Room(instanceName, ProviderType.VIDEOSDK, roomId, sessionId(session), null, true, null, streaming,
                isoInstant(session.get("start")), total, null, null, null, mapped, Room.listsAll(mapped, total),
                extensions);
    }

    /** An HLS answer of {@code GET /v2/hls/{roomId}/active} is live while its stream has not ended. */
    public static boolean hlsLive(JsonNode answer) {
        JsonNode stream = answer.path("data");
        return stream.isObject() && isAbsent(stream.get("end"));
    }

    /** Pages can shift while they are read, so one participant may be listed twice; the first listing stays. */
    static List<Participant> distinctById(List<Participant> participants) {
        Map<String, Participant> byId = new LinkedHashMap<>();
        participants.forEach(participant -> byId.putIfAbsent(participant.id(), participant));
        return List.copyOf(byId.values());
    }

    static Participant toParticipant(JsonNode p) {
        String id = text(p.get("participantId"));
        if (id == null || id.isEmpty()) {
            throw invalid("VideoSDK participant has no participantId");
        }
        return new Participant(id, text(p.get("name")), text(p.get("_id")), "active", lastJoin(p.path("timelog")),
                role(text(p.get("mode"))), media(p.get("events")), null, allowedFields(p, PARTICIPANT_EXTENSIONS));
    }

    /**
     * One name per meaning across VideoSDK's mode renames (providers.md 9.2): the REST samples' CONFERENCE and
     * VIEWER, and the SDKs' SEND_AND_RECV, SIGNALLING_ONLY and RECV_ONLY. Which names REST returns for clients of
     * the new SDKs is unconfirmed, so both sets map; any other mode is kept, lower-cased.
     */
    static String role(String mode) {
        if (mode == null) {
            return null;
        }
        String upper = mode.toUpperCase(Locale.ROOT);
        if (PUBLISHING_MODES.contains(upper)) {
            return "conference";
        }
        return VIEWING_MODES.contains(upper) ? "viewer" : mode.toLowerCase(Locale.ROOT);
    }

    /**
     * From the on/off intervals of {@code events} (providers.md 9.2): a kind is on while its last interval has no
     * end. VideoSDK reports no mute apart from off, so a kind is on or off, never muted. The intervals' shape is
     * unconfirmed; anything else than an object with an absent or null {@code end} reads as off.
     */
    static Media media(JsonNode events) {
        if (isAbsent(events) || !events.isObject()) {
            return null;
        }
        return new Media(openInterval(events.get("webcam")), openInterval(events.get("mic")),
                openInterval(events.get("screenShare")));
    }

    private static MediaState openInterval(JsonNode intervals) {
        if (isAbsent(intervals) || !intervals.isArray() || intervals.isEmpty()) {
            return MediaState.OFF;
        }
        JsonNode last = intervals.get(intervals.size() - 1);
        return last.isObject() && isAbsent(last.get("end")) ? MediaState.ON : MediaState.OFF;
    }

    /** A participant who rejoined has several timelog entries; the current connection is the last one. */
    private static Instant lastJoin(JsonNode timelog) {
        if (!timelog.isArray() || timelog.isEmpty()) {
            return null;
        }
        return isoInstant(timelog.get(timelog.size() - 1).get("start"));
    }
}
