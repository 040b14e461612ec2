package dev.roomgate.api;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.roomgate.config.ServerProperties;

/**
 * Sheds API requests the replica cannot answer in good time: a 503 {@code overloaded} problem with
 * {@code Retry-After}, written before authentication or any lookup, so a refusal costs a fraction of an answer and
 * the replica drains its queue instead of answering everyone seconds late. Two signals: more than
 * {@code max-in-flight-per-core} requests being answered (uncached answers piling up behind slow providers), and the
 * request's event loop running behind ({@link EventLoopLag}: cache hits queued behind each other). Event streams have
 * their own cap ({@code roomgate.watch.max-streams}) and webhooks ({@code /webhooks/}) are the providers' calls, so
 * neither is shed here.
 * Our own filter: Spring offers no load shedding for WebFlux, and Resilience4j's bulkhead would count, not write the
 * problem, nor see the event loop.
 */
@Component
public class LoadShedding implements WebFilter, Ordered {

    static final String RETRY_AFTER_SECONDS = "1";

    private final int maxInFlight;

    private final EventLoopLag lag;

    private final ProblemWriter problems;

    private final AtomicInteger inFlight = new AtomicInteger();

    private final Counter shedInFlight;

    private final Counter shedLag;

    public LoadShedding(ServerProperties properties, EventLoopLag lag, ProblemWriter problems, MeterRegistry meters) {
        this.maxInFlight = properties.maxInFlight(Runtime.getRuntime().availableProcessors());
        this.lag = lag;
        this.problems = problems;
        Gauge.builder("roomgate.server.requests.in.flight", inFlight, AtomicInteger::get)
            .description("API requests being answered (those load shedding counts)")
            .register(meters);
        this.shedInFlight = shed(meters, "in_flight");
        this.shedLag = shed(meters, "event_loop_lag");
    }

    private static Counter shed(MeterRegistry meters, String reason) {
        return Counter.builder("roomgate.server.requests.shed")
            .description("API requests answered 503 overloaded before any work")
            .tag("reason", reason)
            .register(meters);
    }

    /** Right after the request id (so the problem carries it), before the security chain. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!sheddable(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        if (lag.overloaded()) {
            shedLag.increment();
            return refuse(exchange, "this replica's event loop is running behind; retry shortly");
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shedInFlight.increment();
            return refuse(exchange, "this replica is answering as many requests as it can; retry shortly");
        }
        return chain.filter(exchange).doFinally(signal -> inFlight.decrementAndGet());
    }

    /**
     * The read API, by the raw path: a request this lets through is still refused by the security chain unless a
     * rule on the normalized path admits it, so a path that dodges shedding gains nothing else.
     */
    static boolean sheddable(String path) {
        return path.startsWith("/v1/") && !path.endsWith(WatchHandler.SUFFIX);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return problems.problem(exchange, HttpStatus.SERVICE_UNAVAILABLE, "overloaded", detail);
    }
}
