package dev.roomgate.api;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.observability.AccessLog;
import dev.roomgate.observability.RequestIdLogging;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is safe to echo, else a new one. A web
 * filter rather than a gateway filter, so that answers no route matched (404s) carry the id too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "X-Request-Id";

    private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    /** Exchange attribute: when the request came in, on the ticker (a {@code Long}). */
    static final String ARRIVED_AT = RequestIdFilter.class.getName() + ".arrivedAt";

    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private final Ticker ticker;

    public RequestIdFilter(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String offered = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = offered != null && SAFE.matcher(offered).matches() ? offered
                : newId();
        exchange.getAttributes().put(ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(HEADER, id);
        long started = ticker.nanoTime();
        exchange.getAttributes().put(ARRIVED_AT, started);
        return chain.filter(exchange)
            .doFinally(signal -> accessLog(exchange, id, started, signal == SignalType.CANCEL))
            .contextWrite(Context.of(RequestIdLogging.KEY, id));
    }

    /** 499 (the client closed the request, as nginx logs it) when the client left before the answer was done. */
    private void accessLog(ServerWebExchange exchange, String id, long started, boolean cancelled) {
        ServerHttpRequest request = exchange.getRequest();
        HttpStatusCode status = cancelled ? HttpStatusCode.valueOf(499) : exchange.getResponse().getStatusCode();
        RoomHandler.Summary answer = exchange.getAttribute(RoomHandler.SUMMARY);
        AccessLog.request(id, request.getMethod().name(), request.getPath().value(),
                status == null ? 200 : status.value(), Duration.ofNanos(ticker.nanoTime() - started),
                answer == null ? null : answer.complete(), answer == null ? null : answer.providers());
    }

    /**
     * 128 random bits as hex. Not {@code UUID.randomUUID()}: its SecureRandom may read the entropy device, a blocking
     * call on the event loop, and a request id needs uniqueness, not secrecy.
     */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    /** The id of this exchange (always set: this filter runs first). */
    public static String of(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        return id != null ? id : "unknown";
    }
}
