package dev.roomgate.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.roomgate.config.WatchProperties;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;
import dev.roomgate.schema.Source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One loop per watched room, its streams' order, replay, slow watchers and end, all in virtual time. */
class RoomWatchesTests {

    private static final Duration POLL = Duration.ofSeconds(2);

    private static final Duration LINGER = Duration.ofSeconds(10);

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final WatchKey KEY = new WatchKey("room01", List.of("p"), true);

    private VirtualTimeScheduler time;

    private SimpleMeterRegistry meters;

    /** Who is in the room now, as the provider would answer. */
    private final AtomicReference<List<String>> present = new AtomicReference<>(List.of("a"));

    /** Every read the loops made: whether it asked past the cache. */
    private final List<Boolean> reads = new CopyOnWriteArrayList<>();

    private RoomWatches watches;

    @BeforeEach
    void virtualTime() {
        time = VirtualTimeScheduler.getOrSet();
        watches = watches(2, 256, 3);
    }

    @AfterEach
    void realTime() {
        VirtualTimeScheduler.reset();
    }

    /** A new set of loops, with meters of its own. */
    private RoomWatches watches(int buffer, int replay, int maxStreams) {
        meters = new SimpleMeterRegistry();
        return new RoomWatches(new WatchProperties(POLL, maxStreams, LINGER, buffer, replay), key -> fresh -> {
            reads.add(fresh);
            return Mono.fromSupplier(() -> document(present.get()));
        }, Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC), meters);
    }

    private static RoomDocument document(List<String> people) {
        List<Participant> participants = people.stream()
            .map(id -> new Participant(id, id, "c-" + id, "active", Instant.EPOCH, null, null, null, Map.of()))
            .toList();
        Room room = new Room("p", ProviderType.PLUGNMEET, "room01", "s", null, true, false, null, Instant.EPOCH,
                participants.size(), null, null, null, participants, true, Map.of());
        ProviderResult ok = new ProviderResult("p", ProviderType.PLUGNMEET, ProviderStatus.OK, 1, 0, Source.UPSTREAM,
                null, null);
        return new RoomDocument("room01", true, Instant.EPOCH, List.of(room), List.of(ok));
    }

    private void pollWith(String... people) {
        present.set(List.of(people));
        time.advanceTimeBy(POLL);
    }

    private static String who(WatchEvent event) {
        return ((Change.ParticipantData) event.data()).participant().id();
    }

    @Test
    void aWatcherGetsASnapshotThenEachChangeWithIncreasingIds() {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        Disposable watching = watches.watch(KEY, null).subscribe(seen::add);
        time.advanceTimeBy(Duration.ZERO);
        pollWith("a", "b");
        pollWith("b");
        watching.dispose();

        assertThat(seen).extracting(WatchEvent::type).containsExactly(WatchEventType.SNAPSHOT,
                WatchEventType.ROOM, WatchEventType.PARTICIPANT_JOINED, WatchEventType.ROOM,
                WatchEventType.PARTICIPANT_LEFT);
        assertThat(((RoomDocument) seen.get(0).data()).rooms().get(0).participants()).hasSize(1);
        assertThat(who(seen.get(2))).isEqualTo("b");
        assertThat(who(seen.get(4))).isEqualTo("a");
        List<Long> ids = seen.stream().map(WatchEvent::id).toList();
        assertThat(ids.subList(1, ids.size())).isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(1)).isGreaterThan(ids.get(0));
    }

    @Test
    void aHundredWatchersShareOneLoop() {
        watches = watches(2, 256, 100);
        List<Disposable> watching = new ArrayList<>();
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            watching.add(watches.watch(KEY, null).subscribe(seen::add));
        }
        time.advanceTimeBy(Duration.ZERO);
        pollWith("a", "b");
        assertThat(reads).hasSize(2);
        assertThat(seen).filteredOn(event -> event.type() == WatchEventType.PARTICIPANT_JOINED).hasSize(100);
        assertThat(meters.get("roomgate.watch.loops").gauge().value()).isEqualTo(1.0);
        watching.forEach(Disposable::dispose);
    }

    @Test
    void aReconnectWithLastEventIdGetsWhatItMissedAndAnOldOneASnapshot() {
        List<WatchEvent> first = new CopyOnWriteArrayList<>();
        Disposable watching = watches.watch(KEY, null).subscribe(first::add);
        time.advanceTimeBy(Duration.ZERO);
        pollWith("a", "b");
        long lastSeen = first.get(first.size() - 1).id();
        watching.dispose();
        // Gone for less than the linger: the loop holds what it missed.
        Disposable other = watches.watch(KEY, null).subscribe();
        pollWith("b");

        List<WatchEvent> resumed = new CopyOnWriteArrayList<>();
        watches.watch(KEY, lastSeen).subscribe(resumed::add);
        assertThat(resumed).extracting(WatchEvent::type).containsExactly(WatchEventType.ROOM,
                WatchEventType.PARTICIPANT_LEFT);
        assertThat(resumed.get(0).id()).isEqualTo(lastSeen + 1);

        List<WatchEvent> unknown = new CopyOnWriteArrayList<>();
        watches.watch(KEY, 42L).subscribe(unknown::add);
        assertThat(unknown).extracting(WatchEvent::type).containsExactly(WatchEventType.SNAPSHOT);
        other.dispose();
    }

    @Test
    void aWatcherThatDoesNotReadIsDroppedWithAFinalErrorNeverBufferedWithoutBound() {
        // A buffer of two: the snapshot and one change fit; the next change overflows it.
        StepVerifier.create(watches.watch(KEY, null), 0)
            .then(() -> {
                time.advanceTimeBy(Duration.ZERO);
                pollWith("a", "b");
            })
            .thenRequest(10)
            .assertNext(event -> assertThat(event.type()).isEqualTo(WatchEventType.SNAPSHOT))
            .assertNext(event -> assertThat(event.type()).isEqualTo(WatchEventType.ROOM))
            .assertNext(event -> {
                assertThat(event.type()).isEqualTo(WatchEventType.ERROR);
                assertThat(event.id()).isNull();
                assertThat(((Change.ErrorData) event.data()).code()).isEqualTo("TOO_SLOW");
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(meters.get("roomgate.watch.dropped").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theLoopStopsLingerAfterItsLastWatcherLeft() {
        Disposable watching = watches.watch(KEY, null).subscribe();
        time.advanceTimeBy(Duration.ZERO);
        watching.dispose();
        time.advanceTimeBy(LINGER.minus(POLL));
        int whileLingering = reads.size();
        assertThat(whileLingering).isGreaterThan(1);
        time.advanceTimeBy(POLL.multipliedBy(10));
        int stopped = reads.size();
        // The tick due at the very end of the linger may or may not come first.
        assertThat(stopped).isLessThanOrEqualTo(whileLingering + 1);
        time.advanceTimeBy(POLL.multipliedBy(10));
        assertThat(reads).hasSize(stopped);
        assertThat(meters.get("roomgate.watch.loops").gauge().value()).isZero();
        assertThat(watches.streams()).isZero();
    }

    @Test
    void aWakeReadsAtOncePastTheCache() {
        Disposable watching = watches.watch(KEY, null).subscribe();
        time.advanceTimeBy(Duration.ZERO);
        watches.wake("room01");
        watches.wake("another-room");
        time.advanceTimeBy(Duration.ZERO);
        assertThat(reads).containsExactly(false, true);
        watching.dispose();
    }

    @Test
    void pastMaxStreamsAWatcherIsRefusedAtOnce() {
        List<Disposable> watching = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            watching.add(watches.watch(KEY, null).subscribe());
        }
        assertThatThrownBy(() -> watches.watch(KEY, null)).isInstanceOf(RoomWatches.TooManyStreams.class);
        watching.get(0).dispose();
        Flux<WatchEvent> admitted = watches.watch(KEY, null);
        assertThat(watches.streams()).isEqualTo(3);
        watching.add(admitted.subscribe());
        watching.forEach(Disposable::dispose);
        assertThat(watches.streams()).isZero();
    }
}
