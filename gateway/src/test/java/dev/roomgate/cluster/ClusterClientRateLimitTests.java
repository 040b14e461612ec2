package dev.roomgate.cluster;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import dev.roomgate.support.ClusterReplicas;
import dev.roomgate.support.ProviderEmulators;
import dev.roomgate.support.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client limit in cluster mode is one bucket in Redis for all replicas: a client spreading its requests over two
 * replicas gets the limit once, not twice. Spring Cloud Gateway's limiter would let everything through without
 * Redis; Roomgate keeps each replica to its share instead.
 */
class ClusterClientRateLimitTests {

    static final RedisServerProcess redis = RedisServerProcess.start();

    static final ProviderEmulators emulators = ProviderEmulators.start();

    static final int BURST = 6;

    static ClusterReplicas replicas;

    @BeforeAll
    static void start() {
        // One token a second: the burst is what a quick series of requests can get.
        replicas = ClusterReplicas.start(2, redis, emulators, "--roomgate.client-rate-limit.requests-per-second=1",
                "--roomgate.client-rate-limit.burst=" + BURST);
    }

    @AfterAll
    static void stop() {
        replicas.close();
        emulators.close();
        redis.close();
    }

    /** Statuses of requests sent one after the other, alternating between the replicas. */
    private static Mono<List<Integer>> alternating(int requests) {
        return Flux.range(0, requests)
            .concatMap(i -> HttpClient.create()
                .headers(headers -> headers.set("X-API-Key", ProviderEmulators.API_KEY))
                .get()
                .uri("http://127.0.0.1:" + replicas.port(i % 2) + "/v1/providers")
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                    .thenReturn(response.status().code())))
            .collectList();
    }

    private static long allowed(List<Integer> statuses) {
        return statuses.stream().filter(status -> status == 200).count();
    }

    @Test
    void aClientGetsItsLimitOnceAcrossReplicasAndOnlyItsShareOfItWithoutRedis() {
        StepVerifier.create(alternating(2 * BURST))
            .assertNext(statuses -> {
                assertThat(statuses).containsOnly(200, 429);
                // One shared bucket: the burst (and at most a token refilled meanwhile), not a burst per replica.
                assertThat(allowed(statuses)).isBetween((long) BURST, BURST + 2L);
            })
            .expectComplete()
            .verify(Duration.ofSeconds(30));

        redis.down();
        try {
            // Full buckets again, now each replica's own: half the burst each.
            StepVerifier.create(Mono.delay(Duration.ofSeconds(BURST + 1))).expectNextCount(1).expectComplete()
                .verify(Duration.ofSeconds(BURST + 5));
            StepVerifier.create(alternating(2 * BURST))
                .assertNext(statuses -> assertThat(allowed(statuses)).isBetween((long) BURST, BURST + 2L))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        }
        finally {
            redis.up();
        }
    }
}
