package dev.roomgate.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An in-process HTTP emulator of one provider: a MockWebServer on 127.0.0.1 with call bookkeeping and injectable
 * faults. Subclasses only map a request to a {@link Reply}; this class is safe to use from the test thread while
 * MockWebServer dispatches from its own threads.
 *
 * @param <E> the emulator itself, so that {@link #start()} hands back the provider's own type
 */
public abstract class ProviderEmulator<E extends ProviderEmulator<E>> implements AutoCloseable {

    private static final byte[] LOOPBACK = { 127, 0, 0, 1 };

    /** Enough for any test; a demo left running for hours keeps only the most recent targets. */
    private static final int MAX_TARGETS = 10_000;

    private static final int MAX_ARRIVALS = 100_000;

    private final MockWebServer server = new MockWebServer();

    private final Faults faults = new Faults();

    private final Map<String, AtomicInteger> callsByApi = new ConcurrentHashMap<>();

    private final AtomicInteger totalCalls = new AtomicInteger();

    private final Map<String, List<Long>> arrivalsByApi = new ConcurrentHashMap<>();

    private final Deque<String> targets = new ArrayDeque<>();

    protected ProviderEmulator() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                // MockWebServer also queues every request for takeRequest(), which nothing here calls; dropping one
                // per dispatch keeps memory flat when a demo or a load test runs for long.
                server.takeRequest(0, TimeUnit.NANOSECONDS);
                return respond(request);
            }
        });
    }

    /** The API name a request is addressed to, or null when its path names no API of this provider. */
    abstract String apiName(RecordedRequest request);

    /** Sees every request, including those a fault answers; for provider-specific bookkeeping. */
    void received(RecordedRequest request) {
    }

    /** The provider's normal answer; called on MockWebServer threads, possibly several at once. */
    abstract Reply handle(RecordedRequest request);

    public E start() {
        return start(0);
    }

    @SuppressWarnings("unchecked") // E is this class's own type, by the bound every subclass declares
    public E start(int port) {
        try {
            server.start(InetAddress.getByAddress(LOOPBACK), port);
            return (E) this;
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + getClass().getSimpleName() + " on port " + port, ex);
        }
    }

    public String baseUrl() {
        if (!server.getStarted()) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not started");
        }
        return "http://127.0.0.1:" + server.getPort();
    }

    public int calls(String api) {
        AtomicInteger count = callsByApi.get(api);
        return count == null ? 0 : count.get();
    }

    /** The most calls to one API that arrived within any sliding window of the given length. */
    public int maxCallsInAnyWindow(String api, Duration window) {
        List<Long> arrivals;
        synchronized (targets) {
            arrivals = new ArrayList<>(arrivalsByApi.getOrDefault(api, List.of()));
        }
        return maxInAnyWindow(arrivals, window);
    }

    /** The most calls to any of its APIs that arrived within any sliding window of the given length. */
    public int maxCallsInAnyWindow(Duration window) {
        List<Long> arrivals = new ArrayList<>();
        synchronized (targets) {
            arrivalsByApi.values().forEach(arrivals::addAll);
        }
        return maxInAnyWindow(arrivals, window);
    }

    /** The most of these {@link System#nanoTime()} instants that fall within any sliding window of that length. */
    public static int maxInAnyWindow(List<Long> instants, Duration window) {
        List<Long> arrivals = new ArrayList<>(instants);
        Collections.sort(arrivals);
        int most = 0;
        int first = 0;
        for (int last = 0; last < arrivals.size(); last++) {
            while (arrivals.get(last) - arrivals.get(first) >= window.toNanos()) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    public int totalCalls() {
        return totalCalls.get();
    }

    /** Request targets (path and query) in order of arrival; the most recent 10,000 at most. */
    public List<String> receivedTargets() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    public void resetCalls() {
        synchronized (targets) {
            targets.clear();
            callsByApi.clear();
            arrivalsByApi.clear();
            totalCalls.set(0);
        }
    }

    public void delay(Duration delay) {
        faults.delay(delay);
    }

    /**
     * Holds every reply until {@link #release()}: calls are counted when they arrive, and answered only then. A test
     * that must know everything reached the gateway before the provider answers uses it instead of a delay.
     */
    public void hold() {
        faults.hold();
    }

    public void release() {
        faults.release();
    }

    public void hang() {
        faults.hang();
    }

    public void failWith(int httpStatus, String body) {
        faults.failEvery(Reply.guessed(httpStatus, body));
    }

    public void failNextTimes(int n, int httpStatus) {
        faults.failNext(n, Reply.text(httpStatus, ""));
    }

    /** Replaces any pending {@link #failNextTimes} with a provider-specific reply. */
    void failNextWith(int n, Reply reply) {
        faults.failNext(n, reply);
    }

    public void clearFaults() {
        faults.clear();
    }

    @Override
    public void close() {
        server.close();
    }

    private MockResponse respond(RecordedRequest request) throws InterruptedException {
        record(request);
        received(request);
        faults.awaitRelease();
        Reply reply = faults.takeFailure();
        if (reply == null) {
            reply = handleSafely(request);
        }
        MockResponse.Builder response = new MockResponse.Builder().code(reply.status())
            .addHeader("Content-Type", reply.contentType())
            .body(reply.body());
        Duration delay = faults.headersDelay();
        if (!delay.isZero()) {
            response.headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return response.build();
    }

    private void record(RecordedRequest request) {
        String api = apiName(request);
        // One lock for the three counters so that resetCalls() never leaves them disagreeing.
        synchronized (targets) {
            if (targets.size() == MAX_TARGETS) {
                targets.removeFirst();
            }
            targets.addLast(request.getTarget());
            totalCalls.incrementAndGet();
            if (api != null) {
                callsByApi.computeIfAbsent(api, name -> new AtomicInteger()).incrementAndGet();
                List<Long> arrivals = arrivalsByApi.computeIfAbsent(api, name -> new ArrayList<>());
                // Load tests need a few thousand; a demo left running stops recording instead of growing.
                if (arrivals.size() < MAX_ARRIVALS) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
    }

    private Reply handleSafely(RecordedRequest request) {
        try {
            return handle(request);
        }
        catch (RuntimeException ex) {
            // A bug in an emulator must show up as a visible 500, not as a dropped connection.
            return Reply.text(500, "emulator failure: " + ex);
        }
    }

    /** The request body as UTF-8, or "" when there is none. */
    static String bodyOf(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    static byte[] bodyBytesOf(RecordedRequest request) {
        return request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    }
}
