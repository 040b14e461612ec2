package dev.roomgate.provider.tencent;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderCredentials;
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

    private static final Duration WAIT = Duration.ofSeconds(5);

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
