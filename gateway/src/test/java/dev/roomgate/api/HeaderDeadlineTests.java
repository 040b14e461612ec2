package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header deadline's bookkeeping on an embedded channel, in virtual time: the cases the socket tests cannot stage
 * without racing a clock (pipelined requests, a long answer, the stream idle rule's seam).
 */
class HeaderDeadlineTests {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    static final String REQUEST = "GET /v1/providers HTTP/1.1\r\nHost: x\r\n\r\n";

    final Counter timeouts = new SimpleMeterRegistry().counter("timeouts");

    EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        // The embedded loop's clock runs with the machine's unless frozen: on a loaded machine a millisecond of real
        // time between two steps would otherwise fire a deadline the test places one millisecond later.
        channel.freezeTime();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
        ServerTimeouts.HeaderDeadline deadline = new ServerTimeouts.HeaderDeadline(TIMEOUT, timeouts);
        channel.pipeline().addBefore(NettyPipeline.HttpCodec, ServerTimeouts.FIRST_BYTE, deadline.firstByte());
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, ServerTimeouts.HEADER_DEADLINE, deadline);
        return channel;
    }

    static void receive(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Requests the codec decoded, their parts released. */
    static int requestsDecoded(EmbeddedChannel channel) {
        int requests = 0;
        for (Object msg; (msg = channel.readInbound()) != null;) {
            if (msg instanceof HttpRequest) {
                requests++;
            }
            ReferenceCountUtil.release(msg);
        }
        return requests;
    }

    static void answer(EmbeddedChannel channel) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeOutbound(response);
        releaseOutbound(channel);
    }

    static String releaseOutbound(EmbeddedChannel channel) {
        StringBuilder written = new StringBuilder();
        for (Object msg; (msg = channel.readOutbound()) != null;) {
            if (msg instanceof ByteBuf bytes) {
                written.append(bytes.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(msg);
        }
        return written.toString();
    }

    static void pass(EmbeddedChannel channel, Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aSilentConnectionIsClosedQuietlyAtTheDeadline() {
        EmbeddedChannel channel = connection();
        pass(channel, TIMEOUT.minusMillis(1));
        assertThat(channel.isOpen()).isTrue();
        pass(channel, Duration.ofMillis(1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(releaseOutbound(channel)).isEmpty();
        assertThat(timeouts.count()).isEqualTo(1.0);
    }

    @Test
    void aLongAnswerAndPipelinedRequestsAreNotCutAndTheNextRequestGetsItsDeadlineAtItsFirstByte() {
        EmbeddedChannel channel = connection();
        receive(channel, REQUEST + REQUEST);
        assertThat(requestsDecoded(channel)).isEqualTo(2);
        pass(channel, TIMEOUT.multipliedBy(3));
        answer(channel);
        pass(channel, TIMEOUT.multipliedBy(3));
        assertThat(channel.isOpen()).as("the second request is still being answered").isTrue();
        answer(channel);
        pass(channel, TIMEOUT.multipliedBy(3));
        assertThat(channel.isOpen()).as("between requests only the idle rule applies").isTrue();
        receive(channel, "GET /v1/pro");
        pass(channel, TIMEOUT.minusMillis(1));
        assertThat(channel.isOpen()).isTrue();
        pass(channel, Duration.ofMillis(1));
        assertThat(releaseOutbound(channel)).startsWith("HTTP/1.1 408 Request Timeout\r\n")
            .contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
        assertThat(requestsDecoded(channel)).as("the half request is dropped, not handed on").isZero();
    }

    @Test
    void anExchangeMayReplaceItsIdleRuleAndTheRuleEndsWithTheAnswer() {
        EmbeddedChannel channel = connection();
        receive(channel, REQUEST);
        requestsDecoded(channel);
        ChannelHandler first = new ChannelDuplexHandler();
        ChannelHandler second = new ChannelDuplexHandler();
        ServerTimeouts.replaceIdleRule(channel, first);
        assertThat(channel.pipeline().get(ServerTimeouts.STREAM_IDLE_RULE)).isSameAs(first);
        ServerTimeouts.replaceIdleRule(channel, second);
        assertThat(channel.pipeline().get(ServerTimeouts.STREAM_IDLE_RULE)).isSameAs(second);
        assertThat(channel.pipeline().names().indexOf(ServerTimeouts.STREAM_IDLE_RULE))
            .isEqualTo(channel.pipeline().names().indexOf(NettyPipeline.HttpCodec) + 1);
        answer(channel);
        assertThat(channel.pipeline().get(ServerTimeouts.STREAM_IDLE_RULE)).isNull();
        assertThat(channel.isOpen()).isTrue();
    }
}
