package dev.roomgate.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Our own HTTP/1.1 load generator (Reactor Netty client, keep-alive, HdrHistogram):
 * <ul>
 * <li>closed model: N users, each sends its next request when its last one is answered; gives the maximum
 * throughput;</li>
 * <li>open model: requests start on a fixed schedule whatever the server does, and latency counts from when a request
 * was due, not when it was sent, so a stalled server cannot hide its queue (no coordinated omission).</li>
 * </ul>
 * Only requests that start and end inside the measured window count; anything but HTTP 200 is an error.
 */
final class LoadGenerator implements AutoCloseable {

    /** One request: a URL path and its headers. */
    record Request(String path, Map<String, String> headers) {
    }

    /** What a measured window gave: answers per second and latency in microseconds. */
    record Result(String name, String model, double seconds, long ok, long errors, double throughput, double p50Ms,
            double p90Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs, double meanMs, long meanBodyBytes) {

        static Result of(String name, String model, double seconds, Histogram histogram, long errors, long bytes) {
            long ok = histogram.getTotalCount();
            return new Result(name, model, seconds, ok, errors, ok / seconds, ms(histogram, 50), ms(histogram, 90),
                    ms(histogram, 95), ms(histogram, 99), ms(histogram, 99.9), histogram.getMaxValue() / 1000.0,
                    histogram.getMean() / 1000.0, ok == 0 ? 0 : bytes / ok);
        }

        private static double ms(Histogram histogram, double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final LoopResources loops = LoopResources.create("load", 2, true);

    private final ConnectionProvider connections;

    private final HttpClient client;

    LoadGenerator(String baseUrl, int maxConnections) {
        this.connections = ConnectionProvider.builder("load")
            .maxConnections(maxConnections)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofSeconds(60))
            .build();
        this.client = HttpClient.create(connections).runOn(loops).baseUrl(baseUrl)
            .responseTimeout(Duration.ofSeconds(30));
    }

    /** Sends one request and drains its body; emits {status, body bytes}. */
    Mono<long[]> send(Request request) {
        return client.headers(headers -> request.headers().forEach(headers::set))
            .get()
            .uri(request.path())
            .response((response, body) -> body.map(ByteBuf::readableBytes)
                .reduce(0L, (sum, n) -> sum + n)
                .map(bytes -> new long[] { response.status().code(), bytes }))
            .next();
    }

    Result closed(String name, Supplier<Request> requests, int users, Duration warmup, Duration measure) {
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long until = from + measure.toNanos();
        Histogram histogram = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(2), 3);
        LongAdder errors = new LongAdder();
        LongAdder bytes = new LongAdder();
        Flux.range(0, users)
            .flatMap(user -> Mono.defer(() -> {
                long sent = System.nanoTime();
                return send(requests.get()).doOnNext(answer -> {
                    long done = System.nanoTime();
                    if (sent >= from && done <= until) {
                        record(histogram, errors, bytes, answer, done - sent);
                    }
                }).onErrorResume(error -> {
                    if (sent >= from && System.nanoTime() <= until) {
                        errors.increment();
                    }
                    return Mono.empty();
                });
            }).repeat(() -> System.nanoTime() < until), users)
            .blockLast(warmup.plus(measure).plusSeconds(60));
        return Result.of(name, "closed, " + users + " users", measure.toNanos() / 1e9, histogram, errors.sum(),
                bytes.sum());
    }

    Result open(String name, Supplier<Request> requests, double perSecond, Duration warmup, Duration measure) {
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long until = from + measure.toNanos();
        double interval = 1e9 / perSecond;
        Histogram histogram = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(2), 3);
        LongAdder errors = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicLong inFlight = new AtomicLong();
        long issued = 0;
        while (true) {
            long due = start + (long) (issued * interval);
            if (due >= until) {
                break;
            }
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, 200_000));
                continue;
            }
            issued++;
            boolean counted = due >= from;
            inFlight.incrementAndGet();
            send(requests.get()).subscribe(answer -> {
                long done = System.nanoTime();
                if (counted && done <= until + TimeUnit.SECONDS.toNanos(30)) {
                    record(histogram, errors, bytes, answer, done - due);
                }
                inFlight.decrementAndGet();
            }, error -> {
                if (counted) {
                    errors.increment();
                }
                inFlight.decrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        errors.add(inFlight.get());
        return Result.of(name, String.format("open, %.0f/s", perSecond), measure.toNanos() / 1e9, histogram,
                errors.sum(), bytes.sum());
    }

    /** {@code count} identical requests at once; returns how many were answered 200. */
    long burst(Request request, int count) {
        Long ok = Flux.range(0, count)
            .flatMap(i -> send(request).onErrorResume(error -> Mono.empty()), count)
            .filter(answer -> answer[0] == 200)
            .count()
            .block(Duration.ofSeconds(60));
        return ok == null ? 0 : ok;
    }

    private static void record(Histogram histogram, LongAdder errors, LongAdder bytes, long[] answer, long nanos) {
        if (answer[0] == 200) {
            histogram.recordValue(Math.max(1, nanos / 1000));
            bytes.add(answer[1]);
        }
        else {
            errors.increment();
        }
    }

    @Override
    public void close() {
        connections.disposeLater().block(Duration.ofSeconds(10));
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
