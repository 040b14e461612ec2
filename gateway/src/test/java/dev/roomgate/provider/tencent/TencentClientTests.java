package dev.roomgate.provider.tencent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.TencentRoom;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.support.ClientHarness;

import static org.assertj.core.api.Assertions.assertThat;

class TencentClientTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TencentEmulator tencent = new TencentEmulator(DemoRooms.TENCENT_SDK_APP_ID,
            DemoRooms.TENCENT_IDENTIFIER, DemoRooms.TENCENT_SECRET_KEY).start();

    @AfterEach
    void stop() {
        tencent.close();
    }

    private ProviderClient client(String secretKey, int maxAttempts) {
        return ClientHarness.client(ClientHarness.instance("tencent-test", ProviderType.TENCENT, tencent.baseUrl(),
                maxAttempts, new ProviderCredentials.Tencent(DemoRooms.TENCENT_SDK_APP_ID,
                        DemoRooms.TENCENT_IDENTIFIER, Secret.of(secretKey))));
    }

    private void room(String id, List<String> members) {
        tencent.addRoom(new TencentRoom(id, "Room " + id, "144115233775727695", 1700000000L, 300, false, members));
    }

    @Test
    void listsEveryRoomOnceAcrossPagesWithinItsOwnListLimit() {
        for (int i = 0; i < 205; i++) {
            room(String.format("listed-%03d", i), List.of("m" + i));
        }
        ProviderInstance base = ClientHarness.instance("tencent-test", ProviderType.TENCENT, tencent.baseUrl(), 3,
                new ProviderCredentials.Tencent(DemoRooms.TENCENT_SDK_APP_ID, DemoRooms.TENCENT_IDENTIFIER,
                        Secret.of(DemoRooms.TENCENT_SECRET_KEY)));
        ProviderInstance limited = new ProviderInstance(base.name(), base.type(), base.baseUrl(), true,
                base.timeout(), base.requestsPerSecond(), base.maxWaiting(), base.retry(), base.breaker(),
                base.maxConcurrentCalls(), base.credentials(), TencentEmulator.DEFAULT_LIST_RATE_LIMIT);
        // Eleven pages of 20: more than Tencent's ten list calls a second, so the policy must pace them.
        ListingProgress progress = new ListingProgress();
        StepVerifier.create(ClientHarness.client(limited)
                .listRooms(CallBudget.start(Ticker.system(), Duration.ofSeconds(20)), progress))
            .assertNext(listing -> {
                // Whether Tencent lists rooms that are not public is unconfirmed: a missing room is not an ended one.
                assertThat(listing.everyLiveRoom()).isFalse();
                assertThat(listing.wholeRooms()).isNull();
                List<Room> rooms = listing.rooms();
                assertThat(rooms).hasSize(205).extracting(Room::roomId).doesNotHaveDuplicates();
                assertThat(rooms).allSatisfy(room -> {
                    assertThat(room.participantCount()).isNull();
                    assertThat(room.participants()).isNull();
                    assertThat(room.ownerId()).isEqualTo("144115233775727695");
                });
            })
            .expectComplete()
            .verify(Duration.ofSeconds(30));
        assertThat(tencent.calls(TencentEmulator.GET_ROOM_LIST)).isEqualTo(11);
        // Told page by page, for a request that could not wait: at the end, all of it.
        assertThat(progress.soFar().pages()).isEqualTo(11);
        assertThat(progress.soFar().rooms()).hasSize(205);
        assertThat(tencent.maxCallsInAnyWindow(TencentEmulator.GET_ROOM_LIST, Duration.ofSeconds(1)))
            .isLessThanOrEqualTo(TencentEmulator.DEFAULT_LIST_RATE_LIMIT);
    }

    @Test
    void anAppWithNoRoomListsNone() {
        StepVerifier.create(client(DemoRooms.TENCENT_SECRET_KEY, 1)
                .listRooms(CallBudget.start(Ticker.system(), ClientHarness.TIMEOUT), new ListingProgress()))
            .assertNext(listing -> assertThat(listing.rooms()).isEmpty())
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void followsNextToTheLastPage() {
        List<String> members = java.util.stream.IntStream.range(0, 7).mapToObj(i -> "user" + i).toList();
        room("paged", members);
        tencent.pageSize(2);

        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.TENCENT_SECRET_KEY, 1), "paged", true).lookup())
            .assertNext(lookup -> {
                Room found = ((Outcome.Found) lookup).room();
                assertThat(found.participants()).extracting(p -> p.id()).containsExactlyElementsOf(members);
                assertThat(found.participantCount()).isEqualTo(7);
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(tencent.calls(TencentEmulator.GET_MEMBER_LIST)).isEqualTo(4);
    }

    @Test
    void everyCallCarriesAFreshRandom() {
        room("r1", List.of("a", "b", "c"));
        tencent.pageSize(1);
        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.TENCENT_SECRET_KEY, 1), "r1", true).lookup())
            .expectNextCount(1).expectComplete().verify(WAIT);
        List<Long> randoms = tencent.randomsSeen();
        assertThat(randoms).hasSize(4);
        assertThat(new HashSet<>(randoms)).hasSize(4);
        assertThat(randoms).allSatisfy(r -> assertThat(r).isBetween(0L, 4294967295L));
    }

    @Test
    void aRoomFoundLiveHasItsFirstMemberPageAskedBesideItsInfoTheNextTime() {
        room("live", List.of("a", "b"));
        ProviderClient client = client(DemoRooms.TENCENT_SECRET_KEY, 1);
        // Tencent holds its answers: what has arrived while it holds is what went out at once.
        tencent.hold();
        reactor.core.publisher.Mono<Outcome> first = ClientHarness.fetch(client, "live", true, WAIT).lookup().cache();
        first.subscribe();
        dev.roomgate.support.Await.until("get_room_info held", () -> tencent.calls(TencentEmulator.GET_ROOM_INFO) == 1);
        assertThat(tencent.calls(TencentEmulator.GET_MEMBER_LIST)).as("unknown room: the list waits for the room")
            .isZero();
        tencent.release();
        StepVerifier.create(first).assertNext(found -> assertThat(found).isInstanceOf(Outcome.Found.class))
            .expectComplete().verify(WAIT);

        tencent.hold();
        reactor.core.publisher.Mono<Outcome> second = ClientHarness.fetch(client, "live", true, WAIT).lookup().cache();
        second.subscribe();
        dev.roomgate.support.Await.until("both calls held at once", () -> tencent.calls(TencentEmulator.GET_ROOM_INFO) == 2
                && tencent.calls(TencentEmulator.GET_MEMBER_LIST) == 2);
        tencent.release();
        StepVerifier.create(second)
            .assertNext(found -> assertThat(((Outcome.Found) found).room().participants()).extracting(p -> p.id())
                .containsExactly("a", "b"))
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aKnownLiveRoomThatEndedIsNotFoundAndItsNextLookupCostsOneCall() {
        room("ending", List.of("a"));
        ProviderClient client = client(DemoRooms.TENCENT_SECRET_KEY, 1);
        StepVerifier.create(ClientHarness.fetch(client, "ending", true).lookup()).expectNextCount(1).expectComplete()
            .verify(WAIT);
        tencent.removeRoom("ending");

        StepVerifier.create(ClientHarness.fetch(client, "ending", true).lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
        int before = tencent.totalCalls();
        StepVerifier.create(ClientHarness.fetch(client, "ending", true).lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(tencent.totalCalls() - before).as("no longer known live: get_room_info alone").isEqualTo(1);
    }

    @Test
    void roomThatDoesNotExistIsNotFound() {
        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.TENCENT_SECRET_KEY, 3), "gone", true).lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.NotFound.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(tencent.totalCalls()).as("not found is not retried").isEqualTo(1);
    }

    @Test
    void aWrongKeyIsAuthFailedAndNotRetried() {
        room("r1", List.of("a"));
        StepVerifier.create(ClientHarness.fetch(client("0".repeat(64), 3), "r1", true).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.AUTH_FAILED);
                assertThat(failure.toError().upstreamCode()).isEqualTo("70009");
            })
            .verify(WAIT);
        assertThat(tencent.totalCalls()).isEqualTo(1);
    }

    @Test
    void internalErrorIsRetriedAndCounted() {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(1, 100001);
        ClientHarness.Run run = ClientHarness.fetch(client(DemoRooms.TENCENT_SECRET_KEY, 3), "r1", false);
        StepVerifier.create(run.lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.Found.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(run.budget().retries()).isEqualTo(1);
    }

    @Test
    void throttlingSlowsTheInstanceDownAndEndsRateLimited() {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(10, 60007);
        ProviderClient client = client(DemoRooms.TENCENT_SECRET_KEY, 3);
        StepVerifier.create(ClientHarness.fetch(client, "r1", false).lookup())
            .expectErrorSatisfies(error -> assertTencentThrottle((ProviderException) error))
            .verify(WAIT);
        // The first 60007 pauses the instance for a second, the next for two: retries come no sooner, and the
        // 3 s budget ends them, with the provider's code and not as our own quota.
        assertThat(tencent.totalCalls()).isBetween(2, 3);
        // A lookup that comes while the pause lasts waits it out if its budget allows, and is refused in the
        // provider's terms if not: either way no two calls come within a pause.
        StepVerifier.create(ClientHarness.fetch(client, "r1", false).lookup())
            .expectErrorSatisfies(error -> assertTencentThrottle((ProviderException) error))
            .verify(WAIT);
        assertThat(tencent.maxCallsInAnyWindow(TencentEmulator.GET_ROOM_INFO, Duration.ofMillis(900))).isEqualTo(1);
    }

    private static void assertTencentThrottle(ProviderException failure) {
        assertThat(failure.status()).isEqualTo(ProviderStatus.RATE_LIMITED);
        assertThat(failure.code()).isEqualTo("UPSTREAM_RATE_LIMITED");
        assertThat(failure.toError().upstreamCode()).isEqualTo("60007");
        assertThat(failure.getMessage()).startsWith("Tencent's frequency limit for this REST API was exceeded");
    }

    /** The UserSig tests' budget, and twice their attempts' timeout. */
    private static final Duration SIG_BUDGET = Duration.ofSeconds(20);

    @ParameterizedTest
    @ValueSource(ints = { 60004, 60005, 70001, 70002, 70003, 70005 })
    void aRefusedUserSigIsMintedAfreshAndTheCallTriedOnceMore(int code) {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(1, code);
        ClientHarness.Run run = ClientHarness.fetch(tickingClient(), "r1", false, SIG_BUDGET);
        StepVerifier.create(run.lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.Found.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(run.budget().retries()).isEqualTo(1);
        assertThat(tencent.userSigsSeen()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aUserSigRefusedAgainWhenFreshIsAuthFailedAfterOneRetry() {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(5, 70003);
        StepVerifier.create(ClientHarness.fetch(tickingClient(), "r1", false, SIG_BUDGET).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(ProviderStatus.AUTH_FAILED);
                assertThat(failure.toError().upstreamCode()).isEqualTo("70003");
            })
            .verify(WAIT);
        assertThat(tencent.userSigsSeen()).as("one new UserSig, not one per attempt").hasSize(2)
            .doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(ints = { 60008, 60013, 60014, 70169, 70202, 70500, 91000, 100001 })
    void aTransientCodeIsRetriedWithTheSameUserSig(int code) {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(1, code);
        ClientHarness.Run run = ClientHarness.fetch(tickingClient(), "r1", false, SIG_BUDGET);
        StepVerifier.create(run.lookup())
            .assertNext(lookup -> assertThat(lookup).isInstanceOf(Outcome.Found.class))
            .expectComplete()
            .verify(WAIT);
        assertThat(run.budget().retries()).isEqualTo(1);
        assertThat(tencent.userSigsSeen()).hasSize(2).containsOnly(tencent.userSigsSeen().get(0));
    }

    @ParameterizedTest(name = "{0} is {1}, not retried")
    @CsvSource({
        // credentials or account wrong: a new UserSig from the same key changes nothing
        "60006, AUTH_FAILED", "60010, AUTH_FAILED", "60016, AUTH_FAILED", "60017, AUTH_FAILED",
        "60021, AUTH_FAILED", "70009, AUTH_FAILED", "70013, AUTH_FAILED", "70014, AUTH_FAILED",
        "70016, AUTH_FAILED", "70020, AUTH_FAILED", "70107, AUTH_FAILED", "70403, AUTH_FAILED",
        // a bug in the request or the configuration
        "60002, UPSTREAM_ERROR", "60003, UPSTREAM_ERROR", "60009, UPSTREAM_ERROR", "60012, UPSTREAM_ERROR",
        "60015, UPSTREAM_ERROR", "60020, UPSTREAM_ERROR", "70402, UPSTREAM_ERROR", "80002, UPSTREAM_ERROR",
        "90001, UPSTREAM_ERROR", "100002, UPSTREAM_ERROR", "100006, UPSTREAM_ERROR", "100211, UPSTREAM_ERROR",
        // codes the table lacks, by range
        "60555, UPSTREAM_ERROR", "70777, AUTH_FAILED", "100009, UPSTREAM_ERROR", "123456, UPSTREAM_ERROR" })
    void aPermanentCodeFailsAtOnceWithItsCode(int code, ProviderStatus status) {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(5, code);
        StepVerifier.create(ClientHarness.fetch(tickingClient(), "r1", false, SIG_BUDGET).lookup())
            .expectErrorSatisfies(error -> {
                ProviderException failure = (ProviderException) error;
                assertThat(failure.status()).isEqualTo(status);
                assertThat(failure.toError().upstreamCode()).isEqualTo(Integer.toString(code));
                assertThat(failure.toError().httpStatus()).isEqualTo(200);
            })
            .verify(WAIT);
        assertThat(tencent.totalCalls()).isEqualTo(1);
        assertThat(tencent.userSigsSeen()).hasSize(1);
    }

    @Test
    void aLockOutPausesTheInstanceForAMinuteWithoutANewUserSig() {
        room("r1", List.of("a"));
        tencent.failNextWithErrorCode(1, 70050);
        ProviderClient client = tickingClient();
        StepVerifier.create(ClientHarness.fetch(client, "r1", false).lookup())
            .expectErrorSatisfies(error -> assertLockedOut((ProviderException) error))
            .verify(WAIT);
        // The emulator would answer now, but the instance waits out Tencent's minute: the next lookup, whose budget
        // cannot outlast it, is refused without a call, in Tencent's terms.
        StepVerifier.create(ClientHarness.fetch(client, "r1", false).lookup())
            .expectErrorSatisfies(error -> {
                assertLockedOut((ProviderException) error);
                assertThat(error.getMessage()).contains("backing off from this instance for another");
            })
            .verify(WAIT);
        assertThat(tencent.totalCalls()).isEqualTo(1);
        assertThat(tencent.userSigsSeen()).hasSize(1);
    }

    private static void assertLockedOut(ProviderException failure) {
        assertThat(failure.status()).isEqualTo(ProviderStatus.RATE_LIMITED);
        assertThat(failure.code()).isEqualTo("UPSTREAM_RATE_LIMITED");
        assertThat(failure.toError().upstreamCode()).isEqualTo("70050");
    }

    /** A client whose clock is a second later at every reading, so that a UserSig minted afresh is a new one. */
    private ProviderClient tickingClient() {
        AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond());
        Clock ticking = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(seconds.getAndIncrement());
            }
        };
        ProviderInstance base = ClientHarness.instance("tencent-test", ProviderType.TENCENT, tencent.baseUrl(), 3,
                new ProviderCredentials.Tencent(DemoRooms.TENCENT_SDK_APP_ID, DemoRooms.TENCENT_IDENTIFIER,
                        Secret.of(DemoRooms.TENCENT_SECRET_KEY)));
        // Attempts far longer than a loaded machine can stretch one: only a refusal, never a timeout, retries here.
        ProviderInstance patient = new ProviderInstance(base.name(), base.type(), base.baseUrl(), true,
                SIG_BUDGET, base.requestsPerSecond(), base.maxWaiting(),
                new ProviderInstance.RetryPolicy(3, SIG_BUDGET.dividedBy(2), 20, 10), base.breaker(),
                base.maxConcurrentCalls(), base.credentials());
        return ClientHarness.client(patient, ticking);
    }

    @Test
    void aBodyThatIsNotJsonIsInvalidAndNotRetried() {
        tencent.failWith(200, "<html>gateway page</html>");
        StepVerifier.create(ClientHarness.fetch(client(DemoRooms.TENCENT_SECRET_KEY, 3), "r1", false).lookup())
            .expectErrorSatisfies(error -> assertThat(((ProviderException) error).status())
                .isEqualTo(ProviderStatus.INVALID_RESPONSE))
            .verify(WAIT);
        assertThat(tencent.totalCalls()).isEqualTo(1);
    }
}
