package dev.roomgate.api;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import dev.roomgate.watch.Change;
import dev.roomgate.watch.WatchEvent;
import dev.roomgate.watch.WatchEventType;

import static org.assertj.core.api.Assertions.assertThat;

/** Events as SSE, a heartbeat every 15 s, and the stream's own idle rule, in virtual time. */
class EventStreamTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void eventsKeepTheirIdTypeAndDataAndAnIdleStreamGetsAHeartbeat() {
        WatchEvent ended = new WatchEvent(7L, WatchEventType.ROOM_ENDED, new Change.EndedData("p"));
        StepVerifier.withVirtualTime(() -> EventStream.of(Flux.concat(Flux.just(ended), Flux.never())))
            .assertNext(event -> {
                assertThat(event.id()).isEqualTo("7");
                assertThat(event.event()).isEqualTo("room-ended");
                assertThat(event.data()).isEqualTo(new Change.EndedData("p"));
            })
            .thenAwait(EventStream.HEARTBEAT)
            .assertNext(event -> {
                assertThat(event.comment()).isEqualTo("keep-alive");
                assertThat(event.data()).isNull();
            })
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void theFinalErrorEventHasNoIdAndEndsTheStream() {
        WatchEvent error = new WatchEvent(null, WatchEventType.ERROR, new Change.ErrorData("TOO_SLOW", "behind"));
        StepVerifier.withVirtualTime(() -> EventStream.of(Flux.just(error)))
            .assertNext(event -> {
                assertThat(event.id()).isNull();
                assertThat(event.event()).isEqualTo("error");
            })
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aStreamWhoseClientTakesNothingIsClosedAfterFourMissedHeartbeats() {
        // The first heartbeat waits to be taken; the next four find it still waiting.
        Duration closesAt = EventStream.HEARTBEAT.multipliedBy(EventStream.MISSED_HEARTBEATS + 1);
        StepVerifier.withVirtualTime(() -> EventStream.of(Flux.never()), 0)
            .expectSubscription()
            .expectNoEvent(closesAt.minusSeconds(1))
            .thenAwait(Duration.ofSeconds(1))
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aClientThatTakesItsHeartbeatsStaysOpen() {
        StepVerifier.withVirtualTime(() -> EventStream.of(Flux.never()))
            .thenAwait(EventStream.HEARTBEAT.multipliedBy(10))
            .expectNextCount(10)
            .thenCancel()
            .verify(WAIT);
    }
}
