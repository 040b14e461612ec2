package dev.roomgate.api;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.config.ServerProperties;

/**
 * The main port's own timeouts and connection cap ({@code roomgate.server.*}), on Reactor Netty.
 * <ul>
 * <li>Idle kept-alive connections: Reactor Netty's {@link HttpServer#idleTimeout(Duration)}. It is armed only while
 * the connection waits for a request (removed when a request's headers arrive, put back after its answer) and any
 * byte read or written restarts it.</li>
 * <li>Headers: Reactor Netty has no deadline for them ({@code readTimeout} and {@code requestTimeout} only start once
 * the headers are in, and the idle timeout restarts on every byte, so a client dribbling one header byte at a time
 * would hold the connection for ever). {@link HeaderDeadline} closes a connection whose request headers are not all
 * in within {@code request-header-timeout} of the connection opening, or of the first byte of a later request on a
 * kept-alive connection; between requests the idle timeout rules. A connection that never sends a byte is closed by
 * this deadline too.</li>
 * <li>The cap: a connection past {@code max-connections} is closed as soon as it is accepted, before it reads a
 * byte, and counted.</li>
 * </ul>
 * Only the main port: the management port's server is built in its own context, which this customizer is not part
 * of, so probes and scrapes still get through while the cap is reached.
 */
@Component
public class ServerTimeouts implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    /**
     * The seam for event streams' own idle rule: the name, in a connection's pipeline, of the handler
     * {@link #replaceIdleRule(Channel, ChannelHandler)} puts in for one exchange. While an answer is being written
     * neither the idle timeout nor the header deadline applies (Reactor Netty takes its idle handler out for the
     * exchange), so a long answer such as an event stream is bounded by this rule alone.
     */
    public static final String STREAM_IDLE_RULE = "roomgate.streamIdleRule";

    static final String HEADER_DEADLINE = "roomgate.headerDeadline";

    static final String FIRST_BYTE = "roomgate.firstByte";

    private final Duration headerTimeout;

    private final Duration idleTimeout;

    private final int maxConnections;

    private final AtomicInteger open = new AtomicInteger();

    private final Counter refused;

    private final Counter headerTimeouts;

    private final EventLoopLag lag;

    public ServerTimeouts(ServerProperties properties, EventLoopLag lag, MeterRegistry meters) {
        this.lag = lag;
        this.headerTimeout = properties.requestHeaderTimeout();
        this.idleTimeout = properties.idleTimeout();
        this.maxConnections = properties.maxConnections();
        Gauge.builder("roomgate.server.connections.open", open, AtomicInteger::get)
            .description("Connections open on the main port")
            .register(meters);
        this.refused = Counter.builder("roomgate.server.connections.refused")
            .description("Connections closed on arrival because max-connections were open")
            .register(meters);
        this.headerTimeouts = Counter.builder("roomgate.server.header.timeouts")
            .description("Connections closed because a request's headers did not arrive within the header timeout")
            .register(meters);
    }

    /** After Spring Boot's own customizer, so that {@code server.netty.idle-timeout} cannot undo ours. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(this::apply);
    }

    HttpServer apply(HttpServer server) {
        return server.idleTimeout(idleTimeout).doOnChannelInit(this::onChannelInit);
    }

    /** On the connection's event loop, once it is accepted and Reactor Netty has set up its HTTP handlers. */
    private void onChannelInit(ConnectionObserver observer, Channel channel, SocketAddress remoteAddress) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        lag.watch(channel.eventLoop());
        ChannelPipeline pipeline = channel.pipeline();
        // HTTP/1.1 only (the server is configured for nothing else): HTTP/2 frames would need their own deadline.
        if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
            HeaderDeadline deadline = new HeaderDeadline(headerTimeout, headerTimeouts);
            pipeline.addBefore(NettyPipeline.HttpCodec, FIRST_BYTE, deadline.firstByte());
            pipeline.addAfter(NettyPipeline.HttpCodec, HEADER_DEADLINE, deadline);
        }
    }

    /**
     * Puts {@code rule} (an {@link io.netty.handler.timeout.IdleStateHandler} closing the connection, say) in charge
     * of the connection for the rest of the current exchange, replacing an earlier one; it is taken out when the
     * exchange's answer ends. The rule sits right after the HTTP codec, so it sees every read and write of the
     * exchange.
     */
    public static void replaceIdleRule(Channel channel, ChannelHandler rule) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> replaceIdleRule(channel, rule));
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(STREAM_IDLE_RULE) != null) {
            pipeline.replace(STREAM_IDLE_RULE, STREAM_IDLE_RULE, rule);
        }
        else if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, STREAM_IDLE_RULE, rule);
        }
    }

    /**
     * {@link #replaceIdleRule(Channel, ChannelHandler)} for the connection a WebFlux exchange came on.
     *
     * @return false when the exchange is not served by Reactor Netty (a mock exchange in a test)
     */
    public static boolean replaceIdleRule(ServerWebExchange exchange, ChannelHandler rule) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        }
        catch (IllegalArgumentException notAServerRequest) {
            return false;
        }
        if (nativeRequest instanceof HttpServerRequest request) {
            request.withConnection(connection -> replaceIdleRule(connection.channel(), rule));
            return true;
        }
        return false;
    }

    /**
     * The header deadline of one connection. This handler sits after the HTTP codec, where it sees decoded requests
     * come in and answers go out; its {@link #firstByte()} part sits before it, where it sees the first raw byte of a
     * request arrive. Everything runs on the connection's event loop.
     */
    static final class HeaderDeadline extends ChannelDuplexHandler {

        private final long timeoutNanos;

        private final Counter timeouts;

        private ChannelHandlerContext context;

        private ScheduledFuture<?> timer;

        /** Requests whose headers arrived and whose answer has not ended (more than one when pipelined). */
        private int exchanges;

        /** Some bytes of a request whose headers are not all in have arrived. */
        private boolean partialRequest;

        /** The deadline passed and the connection is closing. */
        private boolean expired;

        HeaderDeadline(Duration timeout, Counter timeouts) {
            this.timeoutNanos = timeout.toNanos();
            this.timeouts = timeouts;
        }

        ChannelHandler firstByte() {
            return new FirstByte();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
            // The connection has just opened: its first request's headers are due within the timeout.
            arm();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (expired) {
                // The half request the codec gives up on as the connection closes: Reactor Netty would log a
                // warning for each, a flood under a slowloris attack. The timeout counter says it instead.
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest) {
                exchanges++;
                partialRequest = false;
                cancel();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && !informational(msg) && exchanges > 0 && --exchanges == 0) {
                // The answer is complete: the idle timeout now rules until the next request's first byte.
                ChannelPipeline pipeline = ctx.pipeline();
                if (pipeline.get(STREAM_IDLE_RULE) != null) {
                    pipeline.remove(STREAM_IDLE_RULE);
                }
            }
            ctx.write(msg, promise);
        }

        private static boolean informational(Object msg) {
            return msg instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }

        private void arm() {
            if (timer == null && context.channel().isOpen()) {
                timer = context.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire() {
            timer = null;
            Channel channel = context.channel();
            if (!channel.isActive()) {
                return;
            }
            timeouts.increment();
            expired = true;
            if (partialRequest) {
                // Part of a request came: say why it gets no answer. Nothing came: close quietly, as for an idle
                // connection, since a client may be about to reuse it and would read a 408 as the next answer.
                FullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.REQUEST_TIMEOUT);
                timeout.headers()
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                context.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
            }
            else {
                channel.close();
            }
        }

        /** Before the codec: starts the deadline at the first byte of a request on a kept-alive connection. */
        private final class FirstByte extends ChannelInboundHandlerAdapter {

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (expired) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                if (exchanges == 0 && !partialRequest && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    partialRequest = true;
                    arm();
                }
                ctx.fireChannelRead(msg);
            }
        }
    }
}
