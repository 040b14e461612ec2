package dev.roomgate.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import redis.embedded.RedisServer;

import dev.roomgate.benchmark.LoadGenerator.Request;
import dev.roomgate.benchmark.LoadGenerator.Result;

/**
 * The quota economy under contention (`--suite=quota`): one Tencent instance sold 200 calls a second, every room
 * costing two calls (room info, one member page), so the quota pays for 100 rooms a second; far more is offered, for
 * distinct rooms (no cache reuse), by clients of different shares and priorities. Run on one replica, then on two
 * replicas sharing the quota through a real Redis, with 1 s and 2 s instance budgets. Arrivals are counted where
 * Tencent counts them, at the canned upstream.
 */
final class QuotaBenchmark {

    static final int QUOTA = 200;

    static final int CALLS_PER_ROOM = 2;

    static final String INSTANCE = "bench-tencent";

    /**
     * What a greedy client offers, rooms/s: twice what the quota pays for. Not more: an uncached answer costs
     * Roomgate about 3 ms of CPU, so at 300 requests/s its one core here was saturated, and an overloaded server's
     * backlog (answers 20 s late at the client, whatever the quota did) measures the CPU, not the quota economy.
     */
    static final int GREEDY_RATE = 200;

    private final int greedyRate;

    /** The deadline the deadline client asks for, in ms. */
    static final int CLIENT_DEADLINE_MS = 300;

    /** The API keys of the run: a name, its quota share and priority. */
    enum Client {

        GREEDY(1, "interactive"), MODEST(1, "interactive"), BIG(3, "interactive"), SMALL(1, "interactive"),
        NIGHTLY(1, "background"), DEADLINE(1, "interactive");

        final int share;

        final String priority;

        Client(int share, String priority) {
            this.share = share;
            this.priority = priority;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        String apiKey() {
            return "quota-benchmark-" + label() + "-key-5e1f";
        }
    }

    /** One client's offered load in a scenario. */
    record Load(Client client, double perSecond, Map<String, String> extraHeaders) {

        static Load of(Client client, double perSecond) {
            return new Load(client, perSecond, Map.of());
        }
    }

    /** One client's figures: answers from every replica it was spread over. */
    record ClientFigures(Load load, long ok, long errors, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

        double completeShare() {
            return ok + errors == 0 ? 0 : (double) ok / (ok + errors);
        }
    }

    /** One scenario's figures. */
    record Outcome(String setup, String scenario, List<ClientFigures> clients, double seconds, int maxArrivals,
            Map<String, Double> lookups, double serverCpu) {

        long ok() {
            return clients.stream().mapToLong(ClientFigures::ok).sum();
        }

        double goodput() {
            return ok() / seconds / ((double) QUOTA / CALLS_PER_ROOM);
        }

        ClientFigures of(Client client) {
            return clients.stream().filter(c -> c.load().client() == client).findFirst().orElseThrow();
        }

        /** Of the lookups whose first call got a permit, the share that did not die waiting for a later one. */
        double startedCompleted() {
            double admitted = lookups.getOrDefault("admitted", 0.0);
            return admitted == 0 ? 1 : 1 - lookups.getOrDefault("abandoned", 0.0) / admitted;
        }
    }

    private final Options options;

    private final Path runDir;

    private final Duration warmup;

    private final Duration measure;

    private final Duration jitWarmup;

    private final int jitWarmupRate;

    private final List<Duration> timeouts;

    private final List<String> setups;

    private final List<String> scenarios;

    private final List<Outcome> outcomes = new ArrayList<>();

    private final Map<String, Object> facts = new LinkedHashMap<>();

    private final String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());

    private final AtomicLong sequence = new AtomicLong();

    QuotaBenchmark(Options options) {
        this.options = options;
        this.runDir = options.root().resolve("benchmark/target/run-quota");
        Map<String, String> given = options.given();
        this.warmup = Duration.ofSeconds(Long.parseLong(given.getOrDefault("quota-warmup", "5")));
        this.measure = Duration.ofSeconds(Long.parseLong(given.getOrDefault("quota-measure", "15")));
        this.jitWarmup = Duration.ofSeconds(Long.parseLong(given.getOrDefault("quota-jit-warmup", "30")));
        this.greedyRate = Integer.parseInt(given.getOrDefault("quota-greedy-rate", Integer.toString(GREEDY_RATE)));
        this.jitWarmupRate = Integer.parseInt(given.getOrDefault("quota-jit-warmup-rate", "80"));
        this.timeouts = Arrays.stream(given.getOrDefault("quota-timeouts", "1s,2s").split(","))
            .map(t -> Duration.ofMillis((long) (Double.parseDouble(t.replace("s", "")) * 1000))).toList();
        this.setups = List.of(given.getOrDefault("quota-setups", "one,two").split(","));
        this.scenarios = List.of(given.getOrDefault("quota-scenarios",
                "goodput,fair-share,weighted,priority,deadline").split(","));
    }

    void run() throws Exception {
        Files.createDirectories(runDir);
        String serverCpus = options.given().getOrDefault("server-cpus",
                Runtime.getRuntime().availableProcessors() >= 2 ? "1" : "");
        String driverCpus = options.given().getOrDefault("driver-cpus", "0");
        if (!serverCpus.isBlank()) {
            // The driver (load generator, canned upstream, Redis) on its own cores, Roomgate on the others.
            ServerJvm.run(List.of("taskset", "-a", "-pc", driverCpus, Long.toString(ProcessHandle.current().pid())),
                    runDir, runDir.resolve("taskset.log"), Duration.ofSeconds(10));
        }
        facts.put("date", Instant.now().toString());
        facts.put("cpus", "Roomgate on " + (serverCpus.isBlank() ? "any" : serverCpus) + ", two replicas on "
                + options.given().getOrDefault("two-replica-cpus", serverCpus) + ", driver, canned upstream "
                + "and Redis on " + driverCpus + " (taskset)");
        facts.put("loadavg.atStart", Files.readString(Path.of("/proc/loadavg")).trim());
        Path extracted = Benchmark.extract(options, runDir, Benchmark.gatewayJar(options.root()));
        List<String> jvm = new ArrayList<>(Arrays.asList(options.jvmFlags().trim().split("\\s+")));
        if (Runtime.version().feature() >= 25) {
            jvm.add("--enable-native-access=ALL-UNNAMED");
        }
        if (!options.roomgateExtraFlags().isBlank()) {
            jvm.addAll(Arrays.asList(options.roomgateExtraFlags().trim().split("[#\\s]+")));
        }
        facts.put("jvmFlags", String.join(" ", jvm));
        int redisPort = ServerJvm.freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"")
            .setting("appendonly no").build();
        redis.start();
        try (CannedUpstreams upstreams = new CannedUpstreams(options.delays())) {
            for (Duration timeout : timeouts) {
                String budget = timeout.toMillis() + " ms budget";
                if (setups.contains("one")) {
                    try (Replicas one = Replicas.start(1, serverCpus, jvm, extracted, upstreams.baseUrl(), timeout,
                            0, runDir, options.maxConnections())) {
                        scenarios("one replica, " + budget, one, upstreams);
                    }
                }
                if (setups.contains("two")) {
                    // "0;1": each replica on a core of its own (then the driver shares them); default: both on
                    // Roomgate's cores.
                    String twoCpus = options.given().getOrDefault("two-replica-cpus", serverCpus);
                    try (Replicas two = Replicas.start(2, twoCpus, jvm, extracted, upstreams.baseUrl(), timeout,
                            redisPort, runDir, options.maxConnections())) {
                        scenarios("two replicas + Redis, " + budget, two, upstreams);
                    }
                }
            }
        }
        finally {
            redis.stop();
        }
        facts.put("loadavg.atEnd", Files.readString(Path.of("/proc/loadavg")).trim());
        new QuotaReport(facts, outcomes, warmup, measure).write(options.output().resolve("quota.md"));
        System.out.println("Quota report written to " + options.output().resolve("quota.md"));
    }

    private void scenarios(String setup, Replicas replicas, CannedUpstreams upstreams) throws Exception {
        // A cold JVM's first seconds measure the JIT, not the policy: warm up well below the quota first.
        run(setup, "warm-up", replicas, upstreams, List.of(Load.of(Client.GREEDY, jitWarmupRate)), jitWarmup,
                Duration.ofSeconds(1), false);
        if (scenarios.contains("goodput")) {
            run(setup, "goodput", replicas, upstreams, List.of(Load.of(Client.GREEDY, greedyRate)), warmup, measure, true);
        }
        if (scenarios.contains("fair-share")) {
            run(setup, "fair share", replicas, upstreams,
                    List.of(Load.of(Client.GREEDY, greedyRate), Load.of(Client.MODEST, 30)), warmup, measure, true);
        }
        if (scenarios.contains("weighted")) {
            run(setup, "weighted shares 3:1", replicas, upstreams,
                    List.of(Load.of(Client.BIG, greedyRate / 2), Load.of(Client.SMALL, greedyRate / 2)), warmup, measure, true);
        }
        if (scenarios.contains("priority")) {
            run(setup, "priority", replicas, upstreams,
                    List.of(Load.of(Client.NIGHTLY, greedyRate), Load.of(Client.MODEST, 60)), warmup, measure, true);
        }
        if (scenarios.contains("deadline")) {
            run(setup, "client deadline", replicas, upstreams, List.of(Load.of(Client.GREEDY, greedyRate), new Load(
                    Client.DEADLINE, 20, Map.of("X-Request-Timeout", Integer.toString(CLIENT_DEADLINE_MS)))),
                    warmup, measure, true);
        }
    }

    /**
     * Offers every load at once (open model, each spread evenly over the replicas), then waits for the shared
     * window to empty so that the next scenario starts with the whole quota.
     */
    private void run(String setup, String scenario, Replicas replicas, CannedUpstreams upstreams, List<Load> loads,
            Duration warm, Duration measured, boolean keep) throws Exception {
        System.out.println("== " + setup + ": " + scenario + " ...");
        Map<String, Double> before = replicas.lookups();
        upstreams.takeTencentArrivals();
        double cpuBefore = replicas.cpuSeconds();
        double driverBefore = ServerJvm.cpuSecondsOf(ProcessHandle.current().pid());
        long wallBefore = System.nanoTime();
        List<CompletableFuture<ClientFigures>> running = new ArrayList<>();
        for (Load load : loads) {
            List<CompletableFuture<Result>> parts = new ArrayList<>();
            for (LoadGenerator generator : replicas.generators()) {
                Supplier<Request> requests = () -> request(load);
                double rate = load.perSecond() / replicas.generators().size();
                parts.add(CompletableFuture.supplyAsync(() -> generator.open(load.client().label(), requests, rate,
                        warm, measured), runnable -> new Thread(runnable, "load-" + load.client().label()).start()));
            }
            running.add(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> figures(load, parts.stream().map(CompletableFuture::join).toList())));
        }
        List<ClientFigures> clients = running.stream().map(CompletableFuture::join).toList();
        // Share of one core the replicas used, all of them together: near 1 means Roomgate's core was the limit.
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double serverCpu = (replicas.cpuSeconds() - cpuBefore) / wall;
        double driverCpu = (ServerJvm.cpuSecondsOf(ProcessHandle.current().pid()) - driverBefore) / wall;
        int maxArrivals = CannedUpstreams.maxInAnyWindow(upstreams.takeTencentArrivals(), Duration.ofSeconds(1));
        Map<String, Double> after = replicas.lookups();
        replicas.keepScrapes(runDir, setup + " " + scenario);
        Map<String, Double> lookups = new LinkedHashMap<>();
        after.forEach((outcome, value) -> lookups.put(outcome, value - before.getOrDefault(outcome, 0.0)));
        Outcome outcome = new Outcome(setup, scenario, clients, measured.toNanos() / 1e9, maxArrivals, lookups,
                serverCpu);
        for (ClientFigures client : clients) {
            System.out.printf("   %-8s %5.0f/s offered: %6d ok, %6d not, p50 %6.1f p95 %6.1f p99 %6.1f max %6.1f ms%n",
                    client.load().client().label(), client.load().perSecond(), client.ok(), client.errors(),
                    client.p50Ms(), client.p95Ms(), client.p99Ms(), client.maxMs());
        }
        System.out.printf("   goodput %.3f, max arrivals in a sliding second %d, lookups %s, cpu: Roomgate %.2f, driver %.2f%n",
                outcome.goodput(), maxArrivals, lookups, serverCpu, driverCpu);
        if (keep) {
            outcomes.add(outcome);
        }
        // The sliding window is one second (plus the guards); two leave every replica's allotment settled too.
        Thread.sleep(2000);
    }

    private Request request(Load load) {
        Map<String, String> headers = new LinkedHashMap<>(load.extraHeaders());
        headers.put("X-API-Key", load.client().apiKey());
        return new Request("/v1/rooms/q-" + nonce + "-" + sequence.incrementAndGet() + "?providers=" + INSTANCE,
                headers);
    }

    /** A client's figures over the replicas it was spread across: counts add up, latencies are the worst part's. */
    private static ClientFigures figures(Load load, List<Result> parts) {
        return new ClientFigures(load, parts.stream().mapToLong(Result::ok).sum(),
                parts.stream().mapToLong(Result::errors).sum(),
                parts.stream().mapToDouble(Result::p50Ms).max().orElse(0),
                parts.stream().mapToDouble(Result::p95Ms).max().orElse(0),
                parts.stream().mapToDouble(Result::p99Ms).max().orElse(0),
                parts.stream().mapToDouble(Result::maxMs).max().orElse(0));
    }

    /** Roomgate JVMs under test and a load generator for each. */
    record Replicas(List<ServerJvm> servers, List<LoadGenerator> generators, List<Integer> managementPorts)
            implements AutoCloseable {

        static Replicas start(int count, String cpus, List<String> jvm, Path extracted, String upstream,
                Duration timeout, int redisPort, Path runDir, int maxConnections) throws Exception {
            List<ServerJvm> servers = new ArrayList<>();
            List<LoadGenerator> generators = new ArrayList<>();
            List<Integer> managementPorts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int port = ServerJvm.freePort();
                int management = ServerJvm.freePort();
                List<String> cmd = new ArrayList<>();
                String[] perReplica = cpus.split(";");
                String mine = perReplica[Math.min(i, perReplica.length - 1)];
                if (!mine.isBlank()) {
                    cmd.addAll(List.of("taskset", "-c", mine));
                }
                cmd.add(System.getProperty("java.home") + "/bin/java");
                cmd.addAll(jvm);
                cmd.add("-jar");
                cmd.add(extracted.toString());
                cmd.addAll(arguments(upstream, port, management, timeout, redisPort, count));
                servers.add(ServerJvm.start("roomgate-" + i, cmd, runDir, runDir.resolve("roomgate-" + count + "-" + i
                        + "-" + timeout.toMillis() + "ms.log"), "http://127.0.0.1:" + management
                        + "/actuator/health/readiness", Map.of(), Duration.ofSeconds(90)));
                generators.add(new LoadGenerator("http://127.0.0.1:" + port, maxConnections));
                managementPorts.add(management);
            }
            return new Replicas(servers, generators, managementPorts);
        }

        /** CPU time the replicas' processes used so far, in seconds, all of them together. */
        double cpuSeconds() {
            return servers.stream().mapToDouble(ServerJvm::cpuSeconds).sum();
        }

        /** {@code roomgate_quota_lookups_total} of the instance by outcome, summed over the replicas. */
        Map<String, Double> lookups() throws IOException, InterruptedException {
            Map<String, Double> sums = new LinkedHashMap<>();
            for (int management : managementPorts) {
                String scrape = scrape(management);
                for (String line : scrape.split("\n")) {
                    if (line.startsWith("roomgate_quota_lookups_total{") && line.contains("provider=\"" + INSTANCE)) {
                        String outcome = line.replaceAll(".*outcome=\"([^\"]*)\".*", "$1");
                        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        sums.merge(outcome, value, Double::sum);
                    }
                }
            }
            return sums;
        }

        /**
         * Keeps each replica's whole scrape after a scenario (cumulative since it started), so that a figure that
         * looks wrong can be traced to what the replicas saw: answer statuses, permit waits, Redis failures.
         */
        void keepScrapes(Path dir, String label) throws IOException, InterruptedException {
            String file = label.replaceAll("[^A-Za-z0-9]+", "-");
            for (int i = 0; i < managementPorts.size(); i++) {
                Files.writeString(dir.resolve("scrape-" + file + "-replica-" + i + ".prom"),
                        scrape(managementPorts.get(i)));
            }
        }

        private static String scrape(int management) throws IOException, InterruptedException {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + management + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        @Override
        public void close() {
            generators.forEach(LoadGenerator::close);
            servers.forEach(ServerJvm::close);
        }
    }

    /** One Tencent instance at the canned upstream, quota 200/s; the run's keys; cluster mode with a Redis port. */
    static List<String> arguments(String upstream, int port, int managementPort, Duration timeout, int redisPort,
            int replicas) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--management.server.port=" + managementPort);
        String p = "--roomgate.providers." + INSTANCE + ".";
        args.add(p + "type=tencent");
        args.add(p + "base-url=" + upstream);
        args.add(p + "timeout=" + timeout.toMillis() + "ms");
        args.add(p + "rate-limit.requests-per-second=" + QUOTA);
        args.add(p + "max-concurrent-calls=2000");
        args.add(p + "credentials.sdk-app-id=1400000000");
        args.add(p + "credentials.identifier=administrator");
        args.add(p + "credentials.secret-key=benchmark-secret-not-checked-0123456789");
        for (Client client : Client.values()) {
            String k = "--roomgate.security.api-keys[" + client.ordinal() + "].";
            args.add(k + "name=" + client.label());
            args.add(k + "sha256=" + Benchmark.sha256(client.apiKey()));
            args.add(k + "permissions=rooms,participants");
            args.add(k + "quota-share=" + client.share);
            args.add(k + "priority=" + client.priority);
        }
        // The clients' own request limits are not what is measured here.
        args.add("--roomgate.client-rate-limit.requests-per-second=1000000000");
        args.add("--roomgate.client-rate-limit.burst=1000000000");
        if (redisPort > 0) {
            args.add("--roomgate.cluster.enabled=true");
            args.add("--roomgate.cluster.expected-replicas=" + replicas);
            args.add("--spring.data.redis.host=127.0.0.1");
            args.add("--spring.data.redis.port=" + redisPort);
        }
        return args;
    }
}
