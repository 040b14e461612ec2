package dev.roomgate.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.http.codec.ServerSentEvent;

import dev.roomgate.watch.WatchEvent;

/**
 * A watch stream as Server-Sent Events (contract 2.3): each event with its {@code id}, type and JSON data, and a
 * comment line every 15 s so that idle connections stay open. The stream's own idle rule: the server's idle
 * timeout does not apply while an answer is written, so a client that takes nothing (gone, or stuck with a full
 * window) would hold its stream for ever; one where {@link #MISSED_HEARTBEATS} heartbeats in a row find the one
 * before still unsent (about 75 s) is closed. A client that takes events too slowly is dropped by its room's loop before that.
 */
final class EventStream {

    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    static final int MISSED_HEARTBEATS = 4;

    private EventStream() {
    }

    static Flux<ServerSentEvent<Object>> of(Flux<WatchEvent> events) {
        return Flux.defer(() -> {
            Sinks.One<Boolean> ended = Sinks.one();
            AtomicInteger missed = new AtomicInteger();
            Flux<ServerSentEvent<Object>> told = events.map(EventStream::event)
                .doOnTerminate(() -> ended.tryEmitValue(Boolean.TRUE));
            Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(HEARTBEAT)
                .onBackpressureDrop(tick -> {
                    if (missed.incrementAndGet() >= MISSED_HEARTBEATS) {
                        ended.tryEmitValue(Boolean.TRUE);
                    }
                })
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
            // One element from each at a time: what a slow client has not taken stays in its loop's bounded
            // buffer, where it is counted, not here.
            return Flux.merge(1, told, heartbeats)
                .doOnNext(delivered -> missed.set(0))
                .takeUntilOther(ended.asMono());
        });
    }

    private static ServerSentEvent<Object> event(WatchEvent event) {
        ServerSentEvent.Builder<Object> built = ServerSentEvent.builder().event(event.type().wireName())
            .data(event.data());
        return event.id() == null ? built.build() : built.id(Long.toString(event.id())).build();
    }
}
