package dev.roomgate.provider.tencent;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.provider.ClientParts;
import dev.roomgate.provider.HttpFailures;
import dev.roomgate.provider.RenewingCredential;
import dev.roomgate.provider.UpstreamReply;
import dev.roomgate.provider.WireJson;
import dev.roomgate.schema.Room;

/**
 * Tencent live engine: {@code get_room_info}, then {@code get_member_list} page by page until {@code Next} is
 * empty (the first page beside the room's info for a room known live). Errors come as HTTP 200 with an {@code ErrorCode}. The UserSig travels in the query string.
 */
public final class TencentClient implements ProviderClient {

    static final Duration USERSIG_VALIDITY = Duration.ofHours(24);

    // get_member_list returns at most 1000 members; this bounds a provider that never ends its paging.
    private static final int MAX_PAGES = 200;

    /** The room listing: it has a frequency limit of its own (providers.md 6.2), kept by the call policy. */
    public static final String ROOM_LIST = "get_room_list";

    /** Tencent's most rooms a page ("the upper limit is 20"). */
    private static final int LIST_PAGE_SIZE = 20;

    /** 20 000 rooms; a list that pages on past that is a server looping, not a fleet. */
    private static final int MAX_LIST_PAGES = 1000;

    /** What 100004 on the listing means: no room to list. */
    private static final JsonNode EMPTY_PAGE = JsonNodeFactory.instance.objectNode();

    /** How long a room found live counts as live, for asking its member list beside its info. */
    static final Duration KNOWN_LIVE_FOR = Duration.ofMinutes(5);

    /** Rooms known live at once per instance: a small set, bounded even when the answer cache is off. */
    static final int KNOWN_LIVE_MAX = 10_000;

    private final ClientParts parts;

    private final Cache<String, Boolean> knownLive;

    private final ProviderCredentials.Tencent credentials;

    private final RenewingCredential userSigs;

    private final TencentUris uris;

    public TencentClient(ClientParts parts) {
        this.parts = parts;
        this.knownLive = Caffeine.newBuilder()
            .maximumSize(KNOWN_LIVE_MAX)
            .expireAfterWrite(KNOWN_LIVE_FOR)
            .ticker(() -> parts.clock().millis() * 1_000_000L)
            .build();
        this.credentials = parts.credentials(ProviderCredentials.Tencent.class);
        this.userSigs = parts.renewing(USERSIG_VALIDITY, new UserSigGenerator(parts.json(), credentials.sdkAppId(),
                credentials.identifier(), credentials.secretKey())::generate);
        this.uris = new TencentUris(parts.instance().baseUrl(), credentials.sdkAppId(), credentials.identifier());
    }

    @Override
    public ProviderInstance instance() {
        return parts.instance();
    }

    /**
     * {@code get_room_info}, then the member list. For a room found live within {@link #KNOWN_LIVE_FOR} the member
     * list's first page goes out beside the room's info instead of after it, so the lookup costs one round trip
     * less (the slowest provider of a fan-out is often this one); a room not known live stays chained, so that a
     * room nobody has costs one call. Either way, Tencent's "no such room" on either call means not found.
     */
    @Override
    public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
        Mono<JsonNode> roomInfo = call("get_room_info", Map.of("RoomId", query.roomId()), budget)
            .flatMap(TencentClient::roomInfo);
        Mono<TencentMapper.Members> members = Mono.defer(() -> members(query.roomId(), "", new ArrayList<>(), null, 0,
                budget));
        Mono<Outcome.Found> lookup;
        if (!query.includeParticipants()) {
            lookup = roomInfo.map(info -> found(info, null));
        }
        else if (knownLive.getIfPresent(query.roomId()) != null) {
            lookup = Mono.zip(roomInfo, members, this::found);
        }
        else {
            lookup = roomInfo.flatMap(info -> members.map(listed -> found(info, listed)));
        }
        // Empty means Tencent said 100004, on the room or (when it closed meanwhile) on its member list.
        return lookup
            .doOnNext(found -> knownLive.put(query.roomId(), Boolean.TRUE))
            .cast(Outcome.class)
            .switchIfEmpty(Mono.fromSupplier(() -> {
                knownLive.invalidate(query.roomId());
                return new Outcome.NotFound("100004");
            }));
    }

    private static Mono<JsonNode> roomInfo(JsonNode response) {
        JsonNode roomInfo = response.path("RoomInfo");
        if (WireJson.isAbsent(roomInfo) || !roomInfo.isObject()) {
            return Mono.error(WireJson.invalid("Tencent answer has no RoomInfo"));
        }
        return Mono.just(roomInfo);
    }

    /**
     * {@code get_room_list}, 20 rooms a page (its most), following {@code Next} to its end (providers.md 6.2).
     * Tencent sorts by {@code ViewCount}, so rooms move between pages while they are read; each room is kept once.
     * The call has its own limit, 10 a second, which the call policy keeps ({@link #ROOM_LIST}).
     */
    @Override
    public Mono<RoomListing> listRooms(CallBudget budget, ListingProgress progress) {
        // Whether get_room_list shows every live room or only public ones is UNCONFIRMED (providers.md 6.2): a room
        // it leaves out is not taken for ended.
        return Mono.defer(() -> roomList("", new LinkedHashMap<>(), 0, budget, progress))
            .map(rooms -> new RoomListing(rooms, null, false));
    }

    private Mono<List<Room>> roomList(String next, Map<String, Room> sofar, int pages, CallBudget budget,
            ListingProgress progress) {
        if (pages >= MAX_LIST_PAGES) {
            return Mono.error(WireJson.invalid("Tencent room list did not end after " + MAX_LIST_PAGES + " pages"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Next", next);
        body.put("Count", LIST_PAGE_SIZE);
        return call(ROOM_LIST, body, budget, true)
            .defaultIfEmpty(EMPTY_PAGE)
            .flatMap(response -> {
                TencentMapper.RoomPage page = TencentMapper.toRoomPage(parts.instance().name(), response);
                page.rooms().forEach(room -> sofar.putIfAbsent(room.roomId(), room));
                progress.read(sofar.values());
                if (page.next().isEmpty()) {
                    return Mono.just(List.copyOf(sofar.values()));
                }
                if (page.next().equals(next)) {
                    return Mono.error(WireJson.invalid("Tencent room list repeated its Next token"));
                }
                return roomList(page.next(), sofar, pages + 1, budget, progress);
            });
    }

    private Outcome.Found found(JsonNode roomInfo, TencentMapper.Members members) {
        return new Outcome.Found(TencentMapper.toRoom(parts.instance().name(), roomInfo, members));
    }

    /** Follows {@code Next} to the end; empty when the room vanished while paging. */
    private Mono<TencentMapper.Members> members(String roomId, String next, List<String> sofar, Integer memberCount,
            int pages, CallBudget budget) {
        if (pages >= MAX_PAGES) {
            return Mono.error(WireJson.invalid("Tencent member list did not end after " + MAX_PAGES + " pages"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RoomId", roomId);
        body.put("Next", next);
        return call("get_member_list", body, budget).flatMap(response -> {
            TencentMapper.MemberPage page = TencentMapper.toMemberPage(response);
            sofar.addAll(page.members());
            Integer count = memberCount != null ? memberCount : page.memberCount();
            if (page.next().isEmpty()) {
                return Mono.just(new TencentMapper.Members(List.copyOf(sofar), count));
            }
            if (page.next().equals(next)) {
                return Mono.error(WireJson.invalid("Tencent member list repeated its Next token"));
            }
            return members(roomId, page.next(), sofar, count, pages + 1, budget);
        });
    }

    /** One signed call; emits the {@code Response} object, or empty for "room does not exist". */
    private Mono<JsonNode> call(String command, Map<String, Object> body, CallBudget budget) {
        return call(command, body, budget, false);
    }

    /** @param listing whether the call counts against the listing's own limit too */
    private Mono<JsonNode> call(String command, Map<String, Object> body, CallBudget budget, boolean listing) {
        byte[] bytes = parts.json().writeValueAsBytes(body);
        return Mono.defer(() -> {
            AtomicBoolean userSigRenewed = new AtomicBoolean();
            // Deferred so that every attempt carries a fresh random and a current UserSig.
            Mono<JsonNode> attempt = Mono.defer(() -> parts.http().send(HttpMethod.POST, uri(command), headers -> {
                headers.setContentType(MediaType.APPLICATION_JSON);
                headers.setAccept(List.of(MediaType.APPLICATION_JSON));
            }, bytes)).handle((reply, sink) -> {
                JsonNode response = interpret(reply, userSigRenewed);
                if (response != null) {
                    sink.next(response);
                }
            });
            return listing ? parts.calls().listingCall(budget, command, attempt)
                    : parts.calls().call(budget, command, attempt);
        });
    }

    private URI uri(String command) {
        return uris.of(command, userSigs.get(), ThreadLocalRandom.current().nextLong(0, 1L << 32));
    }

    /** @param userSigRenewed whether this call already minted a UserSig afresh after Tencent refused one */
    private JsonNode interpret(UpstreamReply reply, AtomicBoolean userSigRenewed) {
        if (!reply.isSuccessful()) {
            throw HttpFailures.classify(reply);
        }
        JsonNode answer = WireJson.parse(parts.json(), reply.body());
        Long errorCode = WireJson.integer(answer.get("ErrorCode"));
        String actionStatus = WireJson.text(answer.get("ActionStatus"));
        boolean ok = (errorCode == null || errorCode == 0) && (actionStatus == null || "OK".equals(actionStatus));
        if (errorCode == null && actionStatus == null) {
            throw WireJson.invalid("Tencent answer has neither ErrorCode nor ActionStatus");
        }
        if (ok) {
            JsonNode response = answer.get("Response");
            if (WireJson.isAbsent(response) || !response.isObject()) {
                throw WireJson.invalid("Tencent answer has no Response");
            }
            return response;
        }
        int code = errorCode == null ? -1 : errorCode.intValue();
        TencentErrorClass errorClass = TencentErrors.classOf(code);
        if (errorClass == TencentErrorClass.NOT_FOUND) {
            return null;
        }
        if (errorClass.renewsUserSig()) {
            // Once per call: a UserSig refused again when freshly minted means the credentials are wrong.
            if (userSigRenewed.getAndSet(true)) {
                throw TencentErrors.refusedAgain(code);
            }
            userSigs.invalidate();
        }
        throw TencentErrors.classify(code);
    }
}
