package dev.roomgate.provider.tencent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;

import static dev.roomgate.provider.WireJson.count;
import static dev.roomgate.provider.WireJson.epochSeconds;
import static dev.roomgate.provider.WireJson.allowedFields;
import static dev.roomgate.provider.WireJson.invalid;
import static dev.roomgate.provider.WireJson.isAbsent;
import static dev.roomgate.provider.WireJson.text;

/** Maps Tencent live-engine {@code RoomInfo} and member pages to the schema. */
public final class TencentMapper {

    /**
     * Live-engine {@code RoomInfo} fields copied into {@code extensions}: those documented for {@code get_room_info}
     * (providers.md 2.3) that the common schema has no place for. Each describes the room's setup, none a person:
     * room type, seat settings ({@code IsSeatEnabled}, {@code TakeSeatMode}, {@code MaxSeatCount}), chat switch
     * ({@code IsMessageDisabled}), the cover image the host chose ({@code CoverURL}), {@code Category} ids,
     * {@code ActivityStatus} (an app-defined number, not liveness), {@code IsPublicVisible} and the entry counter
     * {@code ViewCount}. Left out: the mapped fields, free-form {@code CustomInfo}, and anything undocumented.
     */
    static final Set<String> ROOM_EXTENSIONS = Set.of("RoomType", "IsSeatEnabled", "TakeSeatMode", "MaxSeatCount",
            "IsMessageDisabled", "CoverURL", "Category", "ActivityStatus", "IsPublicVisible", "ViewCount");

    private TencentMapper() {
    }

    /** One page of {@code get_member_list}. */
    public record MemberPage(List<String> members, Integer memberCount, String next) {
    }

    /** All pages of a room's member list, concatenated. */
    public record Members(List<String> accounts, Integer memberCount) {
    }

    /** @param members null when the member list was not fetched */
    public static Room toRoom(String instanceName, JsonNode roomInfo, Members members) {
        String roomId = text(roomInfo.get("RoomId"));
        if (roomId == null || roomId.isEmpty()) {
            throw invalid("Tencent RoomInfo has no RoomId");
        }
        String owner = text(roomInfo.get("Owner_Account"));
        // distinct(): the member list refreshes every 40 s, so a member can shift onto the next page while paging.
        List<Participant> participants = members == null ? null
                : members.accounts().stream().distinct().map(account -> toParticipant(account, owner)).toList();
        Integer memberCount = members == null ? null : members.memberCount();
        return new Room(instanceName, ProviderType.TENCENT, roomId, null, text(roomInfo.get("RoomName")), true, null,
                null, epochSeconds(roomInfo.get("CreateTime")), memberCount, count(roomInfo.get("MaxMemberCount")),
                // Tencent lists at most 1 000 members however many are in (providers.md 9.3); its count says how many.
                owner, null, participants, Room.listsAll(participants, memberCount), extensions(roomInfo));
    }

    /** One page of {@code get_room_list}: its rooms, and {@code Next} ("" on the last page). */
    public record RoomPage(List<Room> rooms, String next) {
    }

    /**
     * A {@code get_room_list} page (providers.md 6.2). Its items carry the room-info fields they share with
     * {@code get_room_info} (name, id, owner, creation time, cover, category, activity and view count) and no member
     * count, so those rooms have a null {@code participantCount}.
     */
    public static RoomPage toRoomPage(String instanceName, JsonNode response) {
        JsonNode list = response.path("RoomList");
        List<Room> rooms = new ArrayList<>();
        if (!isAbsent(list)) {
            if (!list.isArray()) {
                throw invalid("Tencent RoomList is not an array");
            }
            for (JsonNode item : list.values()) {
                rooms.add(toRoom(instanceName, item, null));
            }
        }
        String next = text(response.get("Next"));
        return new RoomPage(rooms, next == null ? "" : next);
    }

    public static MemberPage toMemberPage(JsonNode response) {
        JsonNode list = response.path("MemberList");
        List<String> members = new ArrayList<>();
        if (!isAbsent(list)) {
            if (!list.isArray()) {
                throw invalid("Tencent MemberList is not an array");
            }
            for (JsonNode member : list.values()) {
                String account = text(member.get("Member_Account"));
                if (account == null) {
                    throw invalid("Tencent member has no Member_Account");
                }
                members.add(account);
            }
        }
        String next = text(response.get("Next"));
        return new MemberPage(members, count(response.get("MemberCount")), next == null ? "" : next);
    }

    /** The live-engine list has no roles; the owner is the one member its room info names. */
    private static Participant toParticipant(String account, String owner) {
        return new Participant(account, null, null, "active", null, account.equals(owner) ? "owner" : null, null,
                null, Map.of());
    }

    private static Map<String, Object> extensions(JsonNode roomInfo) {
        Map<String, Object> extensions = allowedFields(roomInfo, ROOM_EXTENSIONS);
        JsonNode mode = roomInfo.get("TakeSeatMode");
        if (mode != null && mode.isIntegralNumber()) {
            // The 2024 API revision sent 1/2; the current one sends the names. Answer with one type.
            String name = switch (mode.asInt()) {
                case 1 -> "FreeToTake";
                case 2 -> "ApplyToTake";
                default -> null;
            };
            if (name != null) {
                extensions.put("TakeSeatMode", JsonNodeFactory.instance.stringNode(name));
            }
        }
        return extensions;
    }
}
