package dev.roomgate.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
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
 * Fast fake upstreams: the three providers' wire formats (as the test emulators write them) from canned JSON, each
 * after a set delay, plus {@code GET /echo} for the pass-through baseline. No signature checks: the benchmark
 * measures the gateway, not the emulators. Every room id asked for exists, so any id is a live room.
 */
final class CannedUpstreams implements AutoCloseable {

    /** Per-call delays: the slowest provider's critical path is max(plugNmeet, 2 x Tencent, 2 x VideoSDK). */
    record Delays(Duration plugNmeet, Duration tencent, Duration videoSdk, Duration echo) {

        /**
         * The least a provider's answer can take: plugNmeet's one call, VideoSDK's two (the participant call needs
         * the session's id), Tencent's one round trip (its two calls go out together for a room known live, as the
         * benchmark's rooms are once warmed up).
         */
        Duration slowestProvider() {
            Duration tencentPath = tencent;
            Duration videoSdkPath = videoSdk.multipliedBy(2);
            Duration slowest = plugNmeet;
            slowest = tencentPath.compareTo(slowest) > 0 ? tencentPath : slowest;
            return videoSdkPath.compareTo(slowest) > 0 ? videoSdkPath : slowest;
        }
    }

    static final int PLUGNMEET_PARTICIPANTS = 5;

    static final int TENCENT_MEMBERS = 23;

    static final int VIDEOSDK_PARTICIPANTS = 27;

    private static final Pattern ROOM_ID = Pattern.compile("\"(?:room_id|RoomId)\"\\s*:\\s*\"([^\"]*)\"");

    private static final String SESSION_ID = "6650f1c2a9e4b3d2c1a0f001";

    private final Delays delays;

    private final LoopResources loops = LoopResources.create("canned", 2, true);

    private final DisposableServer server;

    private final LongAdder providerCalls = new LongAdder();

    private final LongAdder echoCalls = new LongAdder();

    private final Queue<Long> tencentArrivals = new ConcurrentLinkedQueue<>();

    private final byte[] echoBody;

    private final long startedAtSeconds = Instant.now().minusSeconds(600).getEpochSecond();

    CannedUpstreams(Delays delays) {
        this.delays = delays;
        this.echoBody = echoBody().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .runOn(loops)
            .route(routes -> routes
                .get("/echo", (req, res) -> {
                    echoCalls.increment();
                    return json(res, echoBody, delays.echo());
                })
                .post("/auth/room/getActiveRoomInfo", (req, res) -> provider(req, res, delays.plugNmeet(),
                        this::plugNmeetRoom))
                .post("/v4/live_engine_http_srv/get_room_info", (req, res) -> tencent(req, res,
                        this::tencentRoomInfo))
                .post("/v4/live_engine_http_srv/get_member_list", (req, res) -> tencent(req, res,
                        body -> tencentMembers()))
                .get("/v2/sessions", (req, res) -> {
                    providerCalls.increment();
                    String roomId = new QueryStringDecoder(req.uri()).parameters().get("roomId").get(0);
                    return json(res, videoSdkSessions(roomId).getBytes(StandardCharsets.UTF_8), delays.videoSdk());
                })
                .get("/v2/sessions/{id}/participants/active", (req, res) -> {
                    providerCalls.increment();
                    return json(res, videoSdkActive().getBytes(StandardCharsets.UTF_8), delays.videoSdk());
                }))
            .bindNow();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    long providerCalls() {
        return providerCalls.sum();
    }

    long echoCalls() {
        return echoCalls.sum();
    }

    int echoBodyBytes() {
        return echoBody.length;
    }

    /** When each Tencent call arrived (as Tencent counts its quota), oldest first; cleared by taking them. */
    synchronized long[] takeTencentArrivals() {
        long[] arrivals = tencentArrivals.stream().mapToLong(Long::longValue).sorted().toArray();
        tencentArrivals.clear();
        return arrivals;
    }

    /** The most arrivals in any window of {@code window} (arrivals sorted, in nanoseconds). */
    static int maxInAnyWindow(long[] arrivals, Duration window) {
        int max = 0;
        int first = 0;
        for (int last = 0; last < arrivals.length; last++) {
            while (arrivals[last] - arrivals[first] >= window.toNanos()) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    private Mono<Void> tencent(HttpServerRequest req, HttpServerResponse res,
            Function<String, String> answer) {
        tencentArrivals.add(System.nanoTime());
        return provider(req, res, delays.tencent(), answer);
    }

    private Mono<Void> provider(HttpServerRequest req, HttpServerResponse res, Duration delay,
            Function<String, String> answer) {
        providerCalls.increment();
        return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
            .flatMap(body -> json(res, answer.apply(body).getBytes(StandardCharsets.UTF_8), delay).then());
    }

    private static Mono<Void> json(HttpServerResponse res, byte[] body, Duration delay) {
        return Mono.delay(delay).then(res.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
            .sendByteArray(Mono.just(body))
            .then());
    }

    private static String roomId(String body) {
        Matcher matcher = ROOM_ID.matcher(body);
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    /** A small JSON answer of about 1 KiB, the pass-through's whole job is to forward it. */
    private static String echoBody() {
        StringBuilder json = new StringBuilder("{\"status\":true,\"msg\":\"success\",\"items\":[");
        for (int i = 0; i < 16; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"item-").append(i).append("\",\"value\":\"")
                .append("x".repeat(32)).append("\"}");
        }
        return json.append("]}").toString();
    }

    private String plugNmeetRoom(String body) {
        String roomId = roomId(body);
        StringBuilder json = new StringBuilder(4096);
        json.append("{\"status\":true,\"msg\":\"success\",\"status_code\":\"SUCCESS\",\"room\":{\"room_info\":{")
            .append("\"room_title\":\"Benchmark room\",\"room_id\":\"").append(roomId)
            .append("\",\"sid\":\"RM_b3nchRoom0001\",\"joined_participants\":\"").append(PLUGNMEET_PARTICIPANTS)
            .append("\",\"is_running\":1,\"is_recording\":0,\"is_active_rtmp\":0,\"webhook_url\":\"\",")
            .append("\"is_breakout_room\":0,\"parent_room_id\":\"\",\"creation_time\":\"").append(startedAtSeconds)
            .append("\",\"metadata\":\"{\\\"room_title\\\":\\\"Benchmark room\\\"}\"},\"participants_info\":[");
        for (int i = 0; i < PLUGNMEET_PARTICIPANTS; i++) {
            long joinedMs = (startedAtSeconds + 10L * i) * 1000;
            json.append(i == 0 ? "" : ",").append("{\"sid\":\"PA_user").append(i).append("\",\"identity\":\"user-")
                .append(i).append("\",\"state\":\"ACTIVE\",\"tracks\":[],")
                .append("\"metadata\":\"{\\\"is_admin\\\":").append(i == 0).append("}\",\"joined_at\":\"")
                .append(joinedMs / 1000).append("\",\"joined_at_ms\":\"").append(joinedMs)
                .append("\",\"name\":\"User ").append(i).append("\",\"version\":1,\"permission\":{")
                .append("\"can_subscribe\":true,\"can_publish\":true,\"can_publish_data\":true},")
                .append("\"region\":\"\",\"is_publisher\":true,\"kind\":\"STANDARD\",\"attributes\":{},")
                .append("\"disconnect_reason\":\"UNKNOWN_REASON\"}");
        }
        return json.append("]}}").toString();
    }

    private String tencentRoomInfo(String body) {
        return "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"RequestId\":\"Id-bench-O-Seq-1\","
                + "\"Response\":{\"RoomInfo\":{\"RoomId\":\"" + roomId(body) + "\",\"RoomName\":\"Benchmark room\","
                + "\"RoomType\":\"Live\",\"Owner_Account\":\"member-0\",\"CreateTime\":" + startedAtSeconds
                + ",\"IsSeatEnabled\":true,\"TakeSeatMode\":\"ApplyToTake\",\"MaxSeatCount\":8,"
                + "\"MaxMemberCount\":300,\"IsMessageDisabled\":false,\"CoverURL\":\"\",\"Category\":[],"
                + "\"ActivityStatus\":1,\"ViewCount\":" + TENCENT_MEMBERS + ",\"IsPublicVisible\":true}}}";
    }

    private static String tencentMembers() {
        StringBuilder json = new StringBuilder(1024);
        json.append("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"RequestId\":\"Id-bench-O-Seq-2\",")
            .append("\"Response\":{\"Next\":\"\",\"MemberCount\":").append(TENCENT_MEMBERS).append(",\"MemberList\":[");
        for (int i = 0; i < TENCENT_MEMBERS; i++) {
            json.append(i == 0 ? "" : ",").append("{\"Member_Account\":\"member-").append(i).append("\"}");
        }
        return json.append("]}}").toString();
    }

    private String videoSdkSessions(String roomId) {
        return "{\"pageInfo\":{\"currentPage\":1,\"perPage\":20,\"lastPage\":1,\"total\":1},\"data\":[{\"id\":\""
                + SESSION_ID + "\",\"roomId\":\"" + roomId + "\",\"start\":\"" + Instant.ofEpochSecond(startedAtSeconds)
                + "\",\"end\":null,\"participants\":[],\"status\":\"ongoing\",\"links\":{}}]}";
    }

    private String videoSdkActive() {
        String start = Instant.ofEpochSecond(startedAtSeconds).toString();
        StringBuilder json = new StringBuilder(16384);
        json.append("{\"pageInfo\":{\"currentPage\":1,\"perPage\":100,\"lastPage\":1,\"total\":")
            .append(VIDEOSDK_PARTICIPANTS).append("},\"data\":[{\"_id\":\"").append(SESSION_ID)
            .append("\",\"start\":\"").append(start).append("\",\"end\":null,\"participants\":[");
        for (int i = 0; i < VIDEOSDK_PARTICIPANTS; i++) {
            json.append(i == 0 ? "" : ",").append("{\"participantId\":\"p-").append(i).append("\",\"name\":\"Person ")
                .append(i).append("\",\"events\":{\"mic\":[],\"webcam\":[]},\"timelog\":[{\"start\":\"").append(start)
                .append("\",\"end\":null}],\"initTime\":0.123,\"deviceInfo\":{\"sdkType\":\"prebuilt\",")
                .append("\"platform\":\"desktop\"},\"mode\":\"SEND_AND_RECV\",\"_id\":\"rec-").append(i)
                .append("\",\"geoLocation\":{\"city\":\"Berlin\",\"region\":\"\",\"country\":\"Germany\"}}");
        }
        return json.append("],\"region\":\"eu001\",\"hlsLog\":[],\"roomId\":\"bench\",\"status\":\"ongoing\"}]}")
            .toString();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater().block(Duration.ofSeconds(5));
    }
}
