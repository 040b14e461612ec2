package dev.roomgate.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;

/**
 * Emulates Tencent's {@code live_engine_http_srv} get_room_info, get_member_list and get_room_list, with the REST
 * common parameters and UserSig check (providers.md 2, 6.2). API names: {@value #GET_ROOM_INFO},
 * {@value #GET_MEMBER_LIST}, {@value #GET_ROOM_LIST}.
 */
public final class TencentEmulator extends ProviderEmulator<TencentEmulator> {

    public static final String GET_ROOM_INFO = "get_room_info";

    public static final String GET_MEMBER_LIST = "get_member_list";

    public static final String GET_ROOM_LIST = "get_room_list";

    /** providers.md 6.2: get_room_list "Maximum calling frequency: 10 times per second". */
    public static final int DEFAULT_LIST_RATE_LIMIT = 10;

    /** providers.md 6.2: {@code Count} "The default is 20, and the upper limit is 20". */
    static final int LIST_COUNT_LIMIT = 20;

    private static final Duration LIST_RATE_WINDOW = Duration.ofSeconds(1);

    /** The list order of providers.md 6.2, "sorted in descending order by the ViewCount field"; ties by RoomId. */
    private static final Comparator<TencentRoom> LIST_ORDER = Comparator.comparingInt(TencentRoom::viewCount)
        .reversed()
        .thenComparing(TencentRoom::roomId);

    private static final String PATH_PREFIX = "/v4/live_engine_http_srv/";

    private static final long MAX_RANDOM = 4_294_967_295L;

    private final long sdkAppId;

    private final String identifier;

    private final UserSigVerifier verifier;

    private final Map<String, TencentRoom> rooms = new ConcurrentHashMap<>();

    private final List<Long> randoms = new ArrayList<>();

    private final List<String> userSigs = new ArrayList<>();

    private volatile int pageSize = 10;

    private volatile int listRateLimit = DEFAULT_LIST_RATE_LIMIT;

    private volatile LongSupplier listClock = System::nanoTime;

    /** Instants (of {@link #listClock}) of the get_room_list calls served within the last second; guarded by itself. */
    private final Deque<Long> listServed = new ArrayDeque<>();

    public TencentEmulator(long sdkAppId, String identifier, String secretKey) {
        this.sdkAppId = sdkAppId;
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        this.verifier = new UserSigVerifier(Objects.requireNonNull(secretKey, "secretKey"));
    }

    public TencentEmulator addRoom(TencentRoom room) {
        rooms.put(room.roomId(), room);
        return this;
    }

    public void removeRoom(String roomId) {
        rooms.remove(roomId);
    }

    /** Members per get_member_list page (default 10). */
    public TencentEmulator pageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be positive: " + size);
        }
        this.pageSize = size;
        return this;
    }

    /**
     * How many get_room_list calls this SDKAppID may make within any sliding second (default
     * {@value #DEFAULT_LIST_RATE_LIMIT}, providers.md 6.2); 0 = unlimited. Like {@link #pageSize}, a test that changes
     * it restores it; {@link #resetCalls()} forgets the calls already counted against it.
     */
    public TencentEmulator listRateLimit(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("list rate limit must not be negative: " + perSecond);
        }
        this.listRateLimit = perSecond;
        return this;
    }

    /**
     * The clock the get_room_list limit reads, in nanoseconds like {@link System#nanoTime()} (the default), so that a
     * test decides which calls fall within one second instead of racing the real clock.
     */
    public TencentEmulator listRateClock(LongSupplier nanoTime) {
        this.listClock = Objects.requireNonNull(nanoTime, "nanoTime");
        return this;
    }

    /** Every {@code random} query value received so far that was a number of up to 10 digits, in arrival order. */
    public List<Long> randomsSeen() {
        synchronized (randoms) {
            return List.copyOf(randoms);
        }
    }

    /** Every {@code usersig} query value received so far, in arrival order: which calls carried a new one. */
    public List<String> userSigsSeen() {
        synchronized (userSigs) {
            return List.copyOf(userSigs);
        }
    }

    /**
     * The next {@code n} requests get HTTP 200 with {@code ActionStatus:"FAIL"} and this ErrorCode, with Tencent's
     * text for it ({@link TencentError}; any code of providers.md 8.1, which the gateway's own table must not be the
     * source of).
     */
    public void failNextWithErrorCode(int n, int errorCode) {
        failNextWith(n, TencentReplies.failure(TencentError.of(errorCode)));
    }

    @Override
    public void resetCalls() {
        super.resetCalls();
        synchronized (randoms) {
            randoms.clear();
        }
        synchronized (userSigs) {
            userSigs.clear();
        }
        synchronized (listServed) {
            listServed.clear();
        }
    }

    @Override
    String apiName(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals(PATH_PREFIX + GET_ROOM_INFO)) {
            return GET_ROOM_INFO;
        }
        if (path.equals(PATH_PREFIX + GET_ROOM_LIST)) {
            return GET_ROOM_LIST;
        }
        return path.equals(PATH_PREFIX + GET_MEMBER_LIST) ? GET_MEMBER_LIST : null;
    }

    @Override
    void received(RecordedRequest request) {
        String random = request.getUrl().queryParameter("random");
        if (random != null && random.matches("[0-9]{1,10}")) {
            synchronized (randoms) {
                randoms.add(Long.parseLong(random));
            }
        }
        String userSig = request.getUrl().queryParameter("usersig");
        if (userSig != null) {
            synchronized (userSigs) {
                userSigs.add(userSig);
            }
        }
    }

    @Override
    Reply handle(RecordedRequest request) {
        String api = apiName(request);
        if (api == null) {
            return Reply.text(404, "not found");
        }
        if (!"POST".equals(request.getMethod())) {
            return Reply.text(405, "Method Not Allowed");
        }
        TencentError rejected = checkCommonParameters(request.getUrl());
        if (rejected != null) {
            return TencentReplies.failure(rejected);
        }
        if (api.equals(GET_ROOM_LIST) && !admitListCall()) {
            // providers.md 6.2: "Maximum calling frequency: 10 times per second"; over it, the REST API frequency
            // error of providers.md 2.5/8.1.
            return TencentReplies.failure(TencentError.of(60007));
        }
        JsonNode body = Json.parseOrNull(bodyOf(request));
        if (body == null || !body.isObject()) {
            return TencentReplies.failure(TencentError.of(60003));
        }
        if (api.equals(GET_ROOM_LIST)) {
            return roomList(body);
        }
        JsonNode roomId = body.path("RoomId");
        if (!roomId.isString() || roomId.stringValue().isEmpty()) {
            return TencentReplies.failure(TencentError.of(100002));
        }
        TencentRoom room = rooms.get(roomId.stringValue());
        if (room == null) {
            return TencentReplies.failure(TencentError.of(100004));
        }
        if (api.equals(GET_ROOM_INFO)) {
            return TencentReplies.roomInfo(room);
        }
        JsonNode next = body.path("Next");
        int offset = next.isString() ? TencentReplies.offsetOf(next.stringValue(), room) : -1;
        if (offset < 0) {
            return TencentReplies.failure(TencentError.of(100002));
        }
        return TencentReplies.memberPage(room, offset, pageSize);
    }

    /** providers.md 6.2: get_room_list, {@code {"Next":"","Count":20}}. */
    private Reply roomList(JsonNode body) {
        // providers.md 6.2: Next is a mandatory String, "" first, then the previous response's Next.
        JsonNode next = body.path("Next");
        int offset = next.isString() ? TencentReplies.roomListOffsetOf(next.stringValue()) : -1;
        // providers.md 6.2: Count is a mandatory Integer whose upper limit is 20; more is served as 20.
        JsonNode count = body.path("Count");
        if (offset < 0 || !count.isIntegralNumber() || count.bigIntegerValue().signum() <= 0) {
            return TencentReplies.failure(TencentError.of(100002));
        }
        int served = count.canConvertToInt() ? Math.min(count.intValue(), LIST_COUNT_LIMIT) : LIST_COUNT_LIMIT;
        // providers.md 6.2: the live rooms, by ViewCount descending, offset-paged over the list as it is now.
        List<TencentRoom> listed = rooms.values().stream().sorted(LIST_ORDER).toList();
        return TencentReplies.roomListPage(listed, offset, served);
    }

    /** Whether a get_room_list call arriving now is within the limit; it then counts against it. */
    private boolean admitListCall() {
        int limit = listRateLimit;
        synchronized (listServed) {
            // Read under the lock, so that the instants stay in order when calls arrive in parallel.
            long now = listClock.getAsLong();
            // A sliding second, as ProviderEmulator.maxInAnyWindow counts one.
            while (!listServed.isEmpty() && now - listServed.peekFirst() >= LIST_RATE_WINDOW.toNanos()) {
                listServed.removeFirst();
            }
            if (limit > 0 && listServed.size() >= limit) {
                return false;
            }
            listServed.addLast(now);
            return true;
        }
    }

    private TencentError checkCommonParameters(HttpUrl url) {
        String appId = url.queryParameter("sdkappid");
        if (appId == null || appId.isEmpty()) {
            return TencentError.of(60012);
        }
        if (!appId.equals(Long.toString(sdkAppId))) {
            return TencentError.of(60006);
        }
        if (!isUint32(url.queryParameter("random")) || !"json".equals(url.queryParameter("contenttype"))) {
            return TencentError.of(60002);
        }
        String requestIdentifier = url.queryParameter("identifier");
        if (!identifier.equals(requestIdentifier)) {
            return TencentError.of(60010);
        }
        return verifier.verify(url.queryParameter("usersig"), sdkAppId, requestIdentifier,
                System.currentTimeMillis() / 1000);
    }

    private static boolean isUint32(String value) {
        if (value == null || !value.matches("[0-9]{1,10}")) {
            return false;
        }
        return Long.parseLong(value) <= MAX_RANDOM;
    }
}
