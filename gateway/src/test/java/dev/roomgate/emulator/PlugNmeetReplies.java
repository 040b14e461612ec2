package dev.roomgate.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * plugNmeet reply bodies in protojson form (EmitUnpopulated, UseProtoNames): snake_case names in declaration order,
 * every field present, int64 as strings, enums by name.
 */
final class PlugNmeetReplies {

    private final boolean legacy;

    private final boolean spaceAfterCommas;

    private final boolean participantListingFails;

    PlugNmeetReplies(boolean legacy, boolean spaceAfterCommas, boolean participantListingFails) {
        this.legacy = legacy;
        this.spaceAfterCommas = spaceAfterCommas;
        this.participantListingFails = participantListingFails;
    }

    /** A CommonResponse, the shape of every auth failure. */
    Reply common(int httpStatus, boolean status, String msg, String statusCode) {
        return reply(httpStatus, header(status, msg, statusCode));
    }

    Reply roomFailure(String msg, String statusCode) {
        ObjectNode body = header(false, msg, statusCode);
        body.putNull("room");
        return reply(200, body);
    }

    Reply room(PlugNmeetRoom room) {
        ObjectNode body = header(true, "success", "SUCCESS");
        body.set("room", activeRoom(room));
        return reply(200, body);
    }

    Reply rooms(List<PlugNmeetRoom> rooms) {
        ObjectNode body = rooms.isEmpty() ? header(false, "no active room found", "NOT_FOUND")
                : header(true, "success", "SUCCESS");
        ArrayNode array = body.putArray("rooms");
        rooms.forEach(room -> array.add(activeRoom(room)));
        return reply(200, body);
    }

    private ObjectNode header(boolean status, String msg, String statusCode) {
        ObjectNode body = Json.object();
        body.put("status", status);
        body.put("msg", msg);
        if (!legacy) {
            body.put("status_code", statusCode);
        }
        return body;
    }

    private ObjectNode activeRoom(PlugNmeetRoom room) {
        ObjectNode active = Json.object();
        ObjectNode info = active.putObject("room_info");
        info.put("room_title", room.title());
        info.put("room_id", room.roomId());
        info.put("sid", room.sid());
        info.put("joined_participants", Long.toString(room.participants().size()));
        info.put("is_running", room.running() ? 1 : 0);
        info.put("is_recording", room.recording() ? 1 : 0);
        info.put("is_active_rtmp", room.rtmp() ? 1 : 0);
        info.put("webhook_url", "");
        info.put("is_breakout_room", 0);
        info.put("parent_room_id", "");
        info.put("creation_time", Long.toString(room.creationTimeSeconds()));
        info.put("metadata", room.metadataJson());
        ArrayNode participants = active.putArray("participants_info");
        if (participantListingFails) {
            // LoadParticipants' error is ignored and the answer is still a success with an empty list, while
            // joined_participants is the database's counter (providers.md 8.2; S1 pkg/models/room_info.go).
            return active;
        }
        // The real server builds this list through a Go map, so clients must not rely on any order.
        List<PlugNmeetParticipant> reversed = new ArrayList<>(room.participants());
        Collections.reverse(reversed);
        reversed.forEach(participant -> participants.add(participant(participant)));
        return active;
    }

    private ObjectNode participant(PlugNmeetParticipant participant) {
        boolean connected = !"DISCONNECTED".equals(participant.state());
        ObjectNode node = Json.object();
        node.put("sid", participant.sid());
        node.put("identity", participant.identity());
        node.put("state", participant.state());
        ArrayNode tracks = node.putArray("tracks");
        participant.tracks().forEach(track -> tracks.add(track(track)));
        node.put("metadata", participant.metadataJson());
        node.put("joined_at", Long.toString(Math.floorDiv(participant.joinedAtMs(), 1000)));
        if (!legacy) {
            node.put("joined_at_ms", Long.toString(participant.joinedAtMs()));
        }
        node.put("name", participant.name());
        node.put("version", 1);
        ObjectNode permission = node.putObject("permission");
        permission.put("can_subscribe", true);
        permission.put("can_publish", true);
        permission.put("can_publish_data", true);
        permission.putArray("can_publish_sources");
        permission.put("hidden", participant.hidden());
        permission.put("recorder", false);
        permission.put("can_update_metadata", false);
        permission.put("agent", false);
        permission.put("can_subscribe_metrics", false);
        permission.put("can_manage_agent_session", false);
        node.put("region", "");
        node.put("is_publisher", connected);
        node.put("kind", "STANDARD");
        node.putObject("attributes");
        node.put("disconnect_reason", connected ? "UNKNOWN_REASON" : "CLIENT_INITIATED");
        if (!legacy) {
            // Fields newer LiveKit versions added; older servers do not send them.
            node.putArray("kind_details");
            node.putArray("data_tracks");
            node.put("client_protocol", 0);
            node.putArray("capabilities");
        }
        return node;
    }

    /** A TrackInfo as API replies marshal it (EmitUnpopulated: every field, defaults included). */
    private static ObjectNode track(PlugNmeetTrack track) {
        boolean video = "VIDEO".equals(track.type());
        ObjectNode node = Json.object();
        node.put("sid", track.sid());
        node.put("type", track.type());
        node.put("name", "");
        node.put("muted", track.muted());
        node.put("width", video ? 1280 : 0);
        node.put("height", video ? 720 : 0);
        node.put("simulcast", video);
        node.put("disable_dtx", false);
        node.put("source", track.source());
        node.putArray("layers");
        node.put("mime_type", video ? "video/VP8" : "audio/opus");
        node.put("mid", "");
        node.putArray("codecs");
        node.put("stereo", false);
        node.put("disable_red", false);
        node.put("encryption", "NONE");
        node.put("stream", "");
        node.putNull("version");
        node.putArray("audio_features");
        node.put("backup_codec_policy", "PREFER_REGRESSION");
        return node;
    }

    private Reply reply(int httpStatus, ObjectNode body) {
        String json = Json.write(body);
        return Reply.json(httpStatus, spaceAfterCommas ? Json.withSpaceAfterCommas(json) : json);
    }
}
