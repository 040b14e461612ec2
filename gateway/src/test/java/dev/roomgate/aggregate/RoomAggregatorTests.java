package dev.roomgate.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.roomgate.config.Priority;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.config.Secret;
import dev.roomgate.schema.ProviderType;

import static org.assertj.core.api.Assertions.assertThat;

/** How a request's budget is planned: the client's own timeout, the gateway's, and each instance's. */
class RoomAggregatorTests {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private static final QuotaClaim NIGHTLY = new QuotaClaim("key:nightly", "nightly", 2, Priority.BACKGROUND);

    // Frozen: the budgets the lookups are handed are exactly as long as planned.
    private final Ticker frozen = () -> 0L;

    /** The budget each instance's lookup was handed, by instance name. */
    private final Map<String, CallBudget> handed = new ConcurrentHashMap<>();

    private final InstanceLookups recording = (client, query, noCache, budget) -> {
        handed.put(client.instance().name(), budget);
        return Mono.just(InstanceAnswer.fetched(new Outcome.NotFound("not live"), 0));
    };

    private static ProviderClient client(String name, Duration timeout) {
        ProviderInstance instance = new ProviderInstance(name, ProviderType.TENCENT,
                java.net.URI.create("http://127.0.0.1:1"), true, timeout, 200, 1000,
                ProviderInstance.RetryPolicy.defaults(1), ProviderInstance.BreakerPolicy.defaults(), 100,
                new ProviderCredentials.PlugNmeet("k", Secret.of("s")));
        return new ProviderClient() {
            @Override
            public ProviderInstance instance() {
                return instance;
            }

            @Override
            public Mono<dev.roomgate.aggregate.RoomListing> listRooms(CallBudget budget,
                    dev.roomgate.aggregate.ListingProgress progress) {
                return Mono.error(new UnsupportedOperationException("this stub answers room lookups only"));
            }

            @Override
            public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
                return Mono.error(new AssertionError("the recording lookups never call a client"));
            }
        };
    }

    private void aggregate(QuotaClaim claim, Duration clientTimeout) {
        RoomAggregator aggregator = new RoomAggregator(REQUEST_TIMEOUT, recording, Clock.systemUTC(), frozen);
        List<ProviderClient> clients = List.of(client("quick", Duration.ofMillis(800)),
                client("slow", Duration.ofSeconds(5)));
        StepVerifier.create(aggregator.aggregate(new RoomQuery("r1", false), clients, false, claim, clientTimeout))
            .expectNextCount(1)
            .expectComplete()
            .verify(Duration.ofSeconds(5));
    }

    @Test
    void withoutAClientTimeoutEachInstanceGetsTheShorterOfItsOwnAndTheRequests() {
        aggregate(QuotaClaim.DEFAULT, null);

        assertThat(handed.get("quick").remaining()).isEqualTo(Duration.ofMillis(800));
        assertThat(handed.get("slow").remaining()).isEqualTo(REQUEST_TIMEOUT);
    }

    @Test
    void aClientTimeoutShortensEveryInstancesBudgetButNeverLengthensOne() {
        aggregate(QuotaClaim.DEFAULT, Duration.ofMillis(300));
        assertThat(handed.get("quick").remaining()).isEqualTo(Duration.ofMillis(300));
        assertThat(handed.get("slow").remaining()).isEqualTo(Duration.ofMillis(300));

        aggregate(QuotaClaim.DEFAULT, Duration.ofMinutes(1));
        assertThat(handed.get("quick").remaining()).isEqualTo(Duration.ofMillis(800));
        assertThat(handed.get("slow").remaining()).isEqualTo(REQUEST_TIMEOUT);
    }

    @Test
    void everyInstancesLookupSpendsQuotaInTheCallersName() {
        aggregate(NIGHTLY, null);

        assertThat(handed.values()).extracting(CallBudget::claim).containsOnly(NIGHTLY);
    }
}
