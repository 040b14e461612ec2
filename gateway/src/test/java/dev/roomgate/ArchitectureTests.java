package dev.roomgate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.roomgate.aggregate.Ticker;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture as rules the build checks, so that a shortcut across the pipeline fails a test the day it is
 * written rather than a review months later. The layering is the one the README draws under "How it is built".
 */
class ArchitectureTests {

    static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.roomgate");

    static final JavaClasses TESTS = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
        .importPackages("dev.roomgate");

    @Test
    void thePipelineIsLayeredOneWay() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("api").definedBy("dev.roomgate.api..")
            .layer("cluster").definedBy("dev.roomgate.cluster..")
            .layer("cache").definedBy("dev.roomgate.cache..")
            .layer("fleet").definedBy("dev.roomgate.fleet..")
            .layer("watch").definedBy("dev.roomgate.watch..")
            .layer("webhook").definedBy("dev.roomgate.webhook..")
            .layer("resilience").definedBy("dev.roomgate.resilience..")
            .layer("provider").definedBy("dev.roomgate.provider..")
            .layer("aggregate").definedBy("dev.roomgate.aggregate..")
            .layer("schema").definedBy("dev.roomgate.schema..")
            .layer("observability").definedBy("dev.roomgate.observability..")
            .layer("config").definedBy("dev.roomgate.config..")
            // cluster implements seams the others define (SharedQuotas, RoomFetcher, ClientRateLimiter); nobody
            // knows it, so without cluster mode none of it exists.
            .whereLayer("cluster").mayNotBeAccessedByAnyLayer()
            .whereLayer("api").mayNotBeAccessedByAnyLayer()
            .whereLayer("cache").mayOnlyBeAccessedByLayers("cluster")
            .whereLayer("fleet").mayOnlyBeAccessedByLayers("api", "cluster")
            // One loop per watched room; what it reads is given to it, so it knows no provider and no cache.
            .whereLayer("watch").mayOnlyBeAccessedByLayers("api", "cluster")
            // Webhooks are verified and read knowing only the configuration and the public types; the route, the
            // cache and the watch loops take them in through its RoomChanged seam.
            .whereLayer("webhook").mayOnlyBeAccessedByLayers("api", "cluster", "cache", "fleet", "watch")
            .whereLayer("resilience").mayOnlyBeAccessedByLayers("api", "cluster")
            // resilience implements the providers' CallPolicy seam; providers never call resilience.
            .whereLayer("provider").mayOnlyBeAccessedByLayers("api", "resilience")
            .whereLayer("aggregate").mayOnlyBeAccessedByLayers("api", "cluster", "cache", "fleet", "resilience",
                    "provider")
            // The public records: what every stage speaks, knowing none of them.
            .whereLayer("schema").mayOnlyBeAccessedByLayers("api", "cluster", "cache", "fleet", "watch",
                    "webhook", "resilience", "provider", "aggregate", "config")
            // Redaction and logging: anything may log, logging knows nothing of the pipeline.
            .whereLayer("observability").mayOnlyBeAccessedByLayers("api", "cluster", "cache", "fleet", "watch",
                    "resilience", "provider", "aggregate", "schema")
            .whereLayer("config").mayOnlyBeAccessedByLayers("api", "cluster", "cache", "fleet", "watch", "webhook",
                    "resilience", "provider", "aggregate", "observability");
        noClasses().that().resideInAPackage("dev.roomgate.schema..")
            .should().dependOnClassesThat(resideInAPackage("dev.roomgate.config.."))
            .because("the public records are configuration-free: config knows ProviderType, not the other way")
            .check(MAIN);
        layers.check(MAIN);
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching("dev.roomgate.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void webhooksAreVerifiedWithoutTheFrameworkOrTheNetwork() {
        noClasses().that().resideInAPackage("dev.roomgate.webhook..")
            .should().dependOnClassesThat(resideInAPackage("org.springframework..")
                .or(resideInAPackage("reactor.."))
                .or(resideInAPackage("java.net.http..")))
            .because("verifying a webhook is a pure function of the request, a key and a clock; the route wires it")
            .check(MAIN);
    }

    @Test
    void noProviderKnowsAnother() {
        slices().matching("dev.roomgate.provider.(*)..").should().notDependOnEachOther().check(MAIN);
    }

    @Test
    void onlyResilienceAppliesResilience4j() {
        noClasses().that().resideOutsideOfPackage("dev.roomgate.resilience..")
            .should().dependOnClassesThat(resideInAPackage("io.github.resilience4j.."))
            .because("the policy is applied in one place, in a written-down order (ResilientCallPolicy)")
            .check(MAIN);
    }

    @Test
    void timeIsReadOnlyThroughTheClockSeam() {
        noClasses().that().doNotHaveFullyQualifiedName(Ticker.class.getName())
            .should().callMethod(System.class, "nanoTime")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("monotonic time comes from the injected Ticker, so a test can drive it")
            .check(MAIN);
        noClasses().should().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now")
            .because("wall-clock time comes from the injected Clock")
            .check(MAIN);
        noClasses().that().doNotHaveSimpleName("ProviderClientsConfiguration")
            .should().callMethod(Clock.class, "systemUTC")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .because("the one Clock bean is the only system clock")
            .check(MAIN);
    }

    @Test
    void mainCodeNeverBlocks() {
        noClasses().should().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Mono.class, "block")
            .orShould().callMethod(Mono.class, "block", java.time.Duration.class)
            .orShould().callMethod(Mono.class, "blockOptional")
            .orShould().callMethod(Flux.class, "blockFirst")
            .orShould().callMethod(Flux.class, "blockLast")
            .orShould().callMethod(Flux.class, "toIterable")
            .orShould().callMethod(Flux.class, "toStream")
            .orShould().callMethod(CompletableFuture.class, "join")
            .orShould().callMethod(Future.class, "get")
            .orShould().callMethod(CountDownLatch.class, "await")
            .because("every request path runs on event loops (BlockHound checks it at run time, this at build time)")
            .check(MAIN);
    }

    @Test
    void testsNeverRaceTheClock() {
        noClasses().should().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
            .orShould().callMethod(Thread.class, "sleep", java.time.Duration.class)
            .orShould().callMethod(TimeUnit.class, "sleep", long.class)
            .orShould().callMethod(LockSupport.class, "parkNanos", long.class)
            .because("a test waits for an observable condition (Await) or runs in virtual time; the raw server "
                    + "dribbles its faults from a timer")
            .check(TESTS);
    }
}
