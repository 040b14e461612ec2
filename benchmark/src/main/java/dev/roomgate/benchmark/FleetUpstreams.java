package dev.roomgate.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * Canned room listings of one fleet, in the three providers' wire formats as the test emulators write them
 * (providers.md 6): plugNmeet {@code getActiveRoomsInfo} in one answer, Tencent {@code get_room_list} 20 rooms a
 * page by {@code Next} with its own limit of 10 calls in any sliding second (over it, 60007 as Tencent answers),
 * VideoSDK's ongoing sessions by {@code page}/{@code perPage} (at most 100 a page). The fleet does not change while
 * it is read, so every listing is the same; each call is answered after a set delay and counted where it arrives.
 */
final class FleetUpstreams implements AutoCloseable {

    /** How many live rooms each provider has in this fleet. */
    record Fleet(int plugNmeetRooms, int tencentRooms, int videoSdkSessions) {

        int total() {
            return plugNmeetRooms + tencentRooms + videoSdkSessions;
        }
    }

    /** Calls per listing endpoint so far. */
    record Calls(long plugNmeet, long tencent, long tencentRefused, long videoSdk) {

        Calls minus(Calls before) {
            return new Calls(plugNmeet - before.plugNmeet, tencent - before.tencent,
                    tencentRefused - before.tencentRefused, videoSdk - before.videoSdk);
        }
    }

    /** providers.md 6.2: {@code Count} "The default is 20, and the upper limit is 20". */
    static final int TENCENT_PAGE_LIMIT = 20;

    /** providers.md 6.2: get_room_list "Maximum calling frequency: 10 times per second". */
    static final int TENCENT_LIST_LIMIT = 10;

    /** What the VideoSDK emulator serves at most per sessions page, whatever perPage asks. */
    static final int VIDEOSDK_MAX_PER_PAGE = 100;

    private static final int VIDEOSDK_DEFAULT_PER_PAGE = 20;

    private static final int PARTICIPANTS_PER_ROOM = 3;

    private static final Pattern NEXT = Pattern.compile("\"Next\"\\s*:\\s*\"([^\"]*)\"");

    private static final Pattern COUNT = Pattern.compile("\"Count\"\\s*:\\s*(\\d+)");

    private final Fleet fleet;

    private final CannedUpstreams.Delays delays;

    private final long startedAtSeconds = Instant.now().minusSeconds(900).getEpochSecond();

    private final byte[] plugNmeetListing;

    private final List<String> tencentItems;

    private final List<String> videoSdkItems;

    private final LongAdder plugNmeetCalls = new LongAdder();

    private final LongAdder tencentCalls = new LongAdder();

    private final LongAdder tencentRefused = new LongAdder();

    private final LongAdder videoSdkCalls = new LongAdder();

    private final Queue<Long> tencentArrivals = new ConcurrentLinkedQueue<>();

    private final Queue<Long> videoSdkArrivals = new ConcurrentLinkedQueue<>();

    /** Arrivals within the last second, for Tencent's own limit; guarded by itself. */
    private final Deque<Long> tencentWindow = new ArrayDeque<>();

    private final LoopResources loops;

    private final DisposableServer server;

    FleetUpstreams(String name, Fleet fleet, CannedUpstreams.Delays delays) {
        this.fleet = fleet;
        this.delays = delays;
        this.plugNmeetListing = plugNmeetListing().getBytes(StandardCharsets.UTF_8);
        this.tencentItems = tencentItems();
        this.videoSdkItems = videoSdkItems();
        this.loops = LoopResources.create("fleet-" + name, 1, true);
        this.server = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .runOn(loops)
            .route(routes -> routes
                .post("/auth/room/getActiveRoomsInfo", (req, res) -> {
                    plugNmeetCalls.increment();
                    return req.receive().then(json(res, plugNmeetListing, delays.plugNmeet()));
                })
                .post("/v4/live_engine_http_srv/get_room_list", this::tencentRoomList)
                .get("/v2/sessions", this::videoSdkSessions))
            .bindNow();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    Fleet fleet() {
        return fleet;
    }

    Calls calls() {
        return new Calls(plugNmeetCalls.sum(), tencentCalls.sum(), tencentRefused.sum(), videoSdkCalls.sum());
    }

    /** When each get_room_list call arrived (refused ones too), oldest first; cleared by taking them. */
    long[] takeTencentArrivals() {
        return take(tencentArrivals);
    }

    /** When each VideoSDK sessions call arrived, oldest first; cleared by taking them. */
    long[] takeVideoSdkArrivals() {
        return take(videoSdkArrivals);
    }

    private static long[] take(Queue<Long> arrivals) {
        // Drained one by one, so that a call arriving meanwhile is kept for the next take, not lost.
        List<Long> taken = new ArrayList<>();
        for (Long arrival = arrivals.poll(); arrival != null; arrival = arrivals.poll()) {
            taken.add(arrival);
        }
        return taken.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private Mono<Void> tencentRoomList(HttpServerRequest req, HttpServerResponse res) {
        long arrived = System.nanoTime();
        tencentCalls.increment();
        tencentArrivals.add(arrived);
        boolean admitted = admitListCall(arrived);
        return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
            if (!admitted) {
                tencentRefused.increment();
                return json(res, tencentFailure(60007, "The RESTful API call exceeds the frequency limit. Try again "
                        + "later."), delays.tencent());
            }
            Matcher next = NEXT.matcher(body);
            Matcher count = COUNT.matcher(body);
            int offset = next.find() ? offsetOf(next.group(1)) : -1;
            if (offset < 0 || !count.find() || Integer.parseInt(count.group(1)) <= 0) {
                return json(res, tencentFailure(100002, "invalid parameter"), delays.tencent());
            }
            int served = Math.min(Integer.parseInt(count.group(1)), TENCENT_PAGE_LIMIT);
            return json(res, tencentPage(offset, served), delays.tencent());
        });
    }

    /** A sliding second, as Tencent counts its limit: at most 10 calls admitted in any window of 1 s. */
    private boolean admitListCall(long now) {
        synchronized (tencentWindow) {
            while (!tencentWindow.isEmpty() && now - tencentWindow.peekFirst() >= Duration.ofSeconds(1).toNanos()) {
                tencentWindow.removeFirst();
            }
            if (tencentWindow.size() >= TENCENT_LIST_LIMIT) {
                return false;
            }
            tencentWindow.addLast(now);
            return true;
        }
    }

    private Mono<Void> videoSdkSessions(HttpServerRequest req, HttpServerResponse res) {
        videoSdkCalls.increment();
        videoSdkArrivals.add(System.nanoTime());
        Map<String, List<String>> query = new QueryStringDecoder(req.uri()).parameters();
        int page = positive(query, "page", 1);
        int perPage = Math.min(positive(query, "perPage", VIDEOSDK_DEFAULT_PER_PAGE), VIDEOSDK_MAX_PER_PAGE);
        return req.receive().then(json(res, videoSdkPage(page, perPage), delays.videoSdk()));
    }

    private static int positive(Map<String, List<String>> query, String name, int absent) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? absent : Math.max(1, Integer.parseInt(values.get(0)));
    }

    private static Mono<Void> json(HttpServerResponse res, String body, Duration delay) {
        return json(res, body.getBytes(StandardCharsets.UTF_8), delay);
    }

    private static Mono<Void> json(HttpServerResponse res, byte[] body, Duration delay) {
        return Mono.delay(delay).then(res.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
            .sendByteArray(Mono.just(body))
            .then());
    }

    // ---------------------------------------------------------------- plugNmeet

    /** Every running room with its participants in one answer, serialized as protojson does (providers.md 6.1). */
    private String plugNmeetListing() {
        if (fleet.plugNmeetRooms() == 0) {
            return "{\"status\":false,\"msg\":\"no active room found\",\"status_code\":\"NOT_FOUND\",\"rooms\":[]}";
        }
        StringBuilder json = new StringBuilder(fleet.plugNmeetRooms() * 2048);
        json.append("{\"status\":true,\"msg\":\"success\",\"status_code\":\"SUCCESS\",\"rooms\":[");
        for (int i = 0; i < fleet.plugNmeetRooms(); i++) {
            String roomId = roomId("pn", i);
            json.append(i == 0 ? "" : ",").append("{\"room_info\":{\"room_title\":\"Fleet room ").append(i)
                .append("\",\"room_id\":\"").append(roomId).append("\",\"sid\":\"RM_fleet").append(i)
                .append("\",\"joined_participants\":\"").append(PARTICIPANTS_PER_ROOM)
                .append("\",\"is_running\":1,\"is_recording\":").append(i % 3 == 0 ? 1 : 0)
                .append(",\"is_active_rtmp\":").append(i % 5 == 0 ? 1 : 0)
                .append(",\"webhook_url\":\"\",\"is_breakout_room\":0,\"parent_room_id\":\"\",\"creation_time\":\"")
                .append(startedAtSeconds + i).append("\",\"metadata\":\"{\\\"room_title\\\":\\\"Fleet room ").append(i)
                .append("\\\"}\"},\"participants_info\":[");
            for (int p = 0; p < PARTICIPANTS_PER_ROOM; p++) {
                long joinedMs = (startedAtSeconds + i + 10L * p) * 1000;
                json.append(p == 0 ? "" : ",").append("{\"sid\":\"PA_").append(i).append('_').append(p)
                    .append("\",\"identity\":\"user-").append(p).append("\",\"state\":\"ACTIVE\",\"tracks\":[],")
                    .append("\"metadata\":\"{\\\"is_admin\\\":").append(p == 0).append("}\",\"joined_at\":\"")
                    .append(joinedMs / 1000).append("\",\"joined_at_ms\":\"").append(joinedMs)
                    .append("\",\"name\":\"User ").append(p).append("\",\"version\":1,\"permission\":{")
                    .append("\"can_subscribe\":true,\"can_publish\":true,\"can_publish_data\":true},")
                    .append("\"region\":\"\",\"is_publisher\":true,\"kind\":\"STANDARD\",\"attributes\":{},")
                    .append("\"disconnect_reason\":\"UNKNOWN_REASON\"}");
            }
            json.append("]}");
        }
        return json.append("]}").toString();
    }

    // ---------------------------------------------------------------- Tencent

    /** The list's items in its order, by ViewCount descending; only the eight fields providers.md 6.2 lists. */
    private List<String> tencentItems() {
        List<String> items = new ArrayList<>(fleet.tencentRooms());
        for (int i = 0; i < fleet.tencentRooms(); i++) {
            items.add("{\"RoomName\":\"Fleet room " + i + "\",\"RoomId\":\"" + roomId("tc", i)
                    + "\",\"Owner_Account\":\"owner-" + i + "\",\"CoverURL\":\"\",\"Category\":[],\"CreateTime\":"
                    + (startedAtSeconds + i) + ",\"ActivityStatus\":1,\"ViewCount\":" + (fleet.tencentRooms() - i)
                    + "}");
        }
        return items;
    }

    private String tencentPage(int offset, int count) {
        int start = Math.min(offset, tencentItems.size());
        int end = Math.min(tencentItems.size(), start + count);
        String next = end < tencentItems.size() ? startedAtSeconds + "-" + end : "";
        return envelope() + ",\"Response\":{\"Next\":\"" + next + "\",\"RoomList\":["
                + String.join(",", tencentItems.subList(start, end)) + "]}}";
    }

    /** "" is the first page; else the offset this server put in the Next it handed out, or -1. */
    private int offsetOf(String next) {
        if (next.isEmpty()) {
            return 0;
        }
        String prefix = startedAtSeconds + "-";
        if (!next.startsWith(prefix) || !next.substring(prefix.length()).matches("[1-9][0-9]{0,8}")) {
            return -1;
        }
        return Integer.parseInt(next.substring(prefix.length()));
    }

    private static String envelope() {
        return "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"RequestId\":\"Id-fleet-O-Seq-"
                + System.nanoTime() + "\"";
    }

    private static String tencentFailure(int code, String info) {
        return "{\"ActionStatus\":\"FAIL\",\"ErrorInfo\":\"" + info + "\",\"ErrorCode\":" + code
                + ",\"RequestId\":\"Id-fleet-O-Seq-" + System.nanoTime() + "\"}";
    }

    // ---------------------------------------------------------------- VideoSDK

    /** One ongoing session per room, newest first, each with its participants' timelogs (providers.md 6.3). */
    private List<String> videoSdkItems() {
        List<String> items = new ArrayList<>(fleet.videoSdkSessions());
        for (int i = 0; i < fleet.videoSdkSessions(); i++) {
            String start = Instant.ofEpochSecond(startedAtSeconds + fleet.videoSdkSessions() - i).toString();
            StringBuilder json = new StringBuilder(512);
            json.append("{\"id\":\"").append(String.format("6650f1c2a9e4%012x", i)).append("\",\"roomId\":\"")
                .append(roomId("vs", i)).append("\",\"start\":\"").append(start)
                .append("\",\"end\":null,\"participants\":[");
            for (int p = 0; p < PARTICIPANTS_PER_ROOM; p++) {
                json.append(p == 0 ? "" : ",").append("{\"participantId\":\"p-").append(p)
                    .append("\",\"name\":\"Person ").append(p).append("\",\"timelog\":[{\"start\":\"").append(start)
                    .append("\",\"end\":null}]}");
            }
            json.append("],\"status\":\"ongoing\",\"links\":{\"get_session\":\"/v2/sessions/")
                .append(String.format("6650f1c2a9e4%012x", i)).append("\"}}");
            items.add(json.toString());
        }
        return items;
    }

    private String videoSdkPage(int page, int perPage) {
        int total = videoSdkItems.size();
        int lastPage = Math.max(1, (total + perPage - 1) / perPage);
        long from = (long) (page - 1) * perPage;
        List<String> slice = from >= total ? List.of()
                : videoSdkItems.subList((int) from, (int) Math.min(total, from + perPage));
        return "{\"pageInfo\":{\"currentPage\":" + page + ",\"perPage\":" + perPage + ",\"lastPage\":" + lastPage
                + ",\"total\":" + total + "},\"data\":[" + String.join(",", slice) + "]}";
    }

    private static String roomId(String prefix, int i) {
        return String.format("fleet-%s-%05d", prefix, i);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater().block(Duration.ofSeconds(5));
    }
}
