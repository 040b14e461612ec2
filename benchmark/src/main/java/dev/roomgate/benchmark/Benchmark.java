package dev.roomgate.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.roomgate.benchmark.LoadGenerator.Request;
import dev.roomgate.benchmark.LoadGenerator.Result;

/**
 * The one-command benchmark: canned upstreams in this JVM, Roomgate and a plain Spring Cloud Gateway pass-through
 * each in a JVM of its own with the same container-like flags, then every scenario in one run, and a report whose
 * figures are ratios to the pass-through measured in that same run.
 */
public final class Benchmark {

    static final String API_KEY = "roomgate-benchmark-key-0d9e8f7a";

    private final Options options;

    private final Path runDir;

    private final Map<String, Object> facts = new LinkedHashMap<>();

    private final List<Result> results = new ArrayList<>();

    /** The cores of the servers under test (taskset); the driver keeps to the others. Blank: not pinned. */
    private final String serverCpus;

    /** Roomgate's management port once the Roomgate under load runs: its allocation counter is read there. */
    private int roomgateManagementPort = -1;

    private int passThroughPort = -1;

    private Benchmark(Options options) {
        this.options = options;
        this.runDir = options.root().resolve("benchmark/target/run");
        this.serverCpus = options.given().getOrDefault("server-cpus",
                Runtime.getRuntime().availableProcessors() >= 2 ? "1" : "");
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // Whatever ends the driver, the server JVMs it started end with it (each by its own PID).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children()
            .forEach(ProcessHandle::destroy)));
        String suite = options.given().getOrDefault("suite", "main");
        if ("quota".equals(suite)) {
            new QuotaBenchmark(options).run();
        }
        else if ("fleet".equals(suite)) {
            new FleetBenchmark(options).run();
        }
        else {
            new Benchmark(options).run();
        }
        // Reactor Netty's non-daemon threads are gone after close(), but be explicit: the run is over.
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(runDir);
        String driverCpus = options.given().getOrDefault("driver-cpus", "0");
        if (!serverCpus.isBlank()) {
            // The load generator and the canned upstreams on their own core, the server under test on the other:
            // otherwise the client's CPU is part of every figure and p99 measures who got scheduled.
            ServerJvm.run(List.of("taskset", "-a", "-pc", driverCpus, Long.toString(ProcessHandle.current().pid())),
                    runDir, runDir.resolve("taskset.log"), Duration.ofSeconds(10));
        }
        facts.put("cpus", (serverCpus.isBlank() ? "not pinned" : "servers under test on CPU " + serverCpus
                + ", driver (load generator, canned upstreams) on CPU " + driverCpus + " (taskset)")
                + "; start-ups on CPUs " + options.given().getOrDefault("startup-cpus", onlineCpus()));
        Path jar = gatewayJar(options.root());
        Path extracted = extract(options, runDir, jar);
        // Flags separated by "#" or spaces, so that one Maven property can carry several.
        List<String> jvm = new ArrayList<>(Arrays.asList(options.jvmFlags().trim().split("[#\\s]+")));
        boolean jdk25 = javaFeature() >= 25;
        if (jdk25) {
            // Netty loads its native transport; JDK 24+ warns about that unless native access is granted.
            jvm.add("--enable-native-access=ALL-UNNAMED");
        }
        recordMachine(jvm);
        CannedUpstreams.Delays delays = options.delays();
        try (CannedUpstreams upstreams = new CannedUpstreams(delays)) {
            // Start-up first, on a quiet machine: the plain jar, then with the JDK 25 AOT cache when available.
            List<String> roomgateCmd = roomgateCommand(jvm, extracted, upstreams.baseUrl());
            startups("roomgate", roomgateCmd, null);
            Path aotCache = null;
            if (jdk25 && options.aot()) {
                aotCache = trainAotCache(jvm, extracted, upstreams.baseUrl());
                startups("roomgate+aot", roomgateCmd, aotCache);
            }
            startupsPassThrough(jvm, upstreams.baseUrl());

            List<String> loadCmd = new ArrayList<>(aotCache == null ? roomgateCmd : withAot(roomgateCmd, aotCache));
            if (!options.roomgateExtraFlags().isBlank()) {
                // Only for the Roomgate that takes the load, e.g. a flight recording while profiling; flags are
                // separated by "#" so that one Maven property can carry several.
                loadCmd.addAll(1, Arrays.asList(options.roomgateExtraFlags().trim().split("[#\\s]+")));
            }
            int rgPort = port(loadCmd, "--server.port=");
            int rgMgmt = port(loadCmd, "--management.server.port=");
            int ptPort = ServerJvm.freePort();
            try (ServerJvm roomgate = ServerJvm.start("roomgate", pinned(loadCmd), runDir, runDir.resolve("roomgate.log"),
                    "http://127.0.0.1:" + rgMgmt + "/actuator/health/readiness", Map.of(), Duration.ofSeconds(60));
                    ServerJvm passThrough = ServerJvm.start("pass-through", passThroughCommand(jvm, ptPort,
                            upstreams.baseUrl()), runDir, runDir.resolve("pass-through.log"),
                            "http://127.0.0.1:" + ptPort + "/echo", Map.of(), Duration.ofSeconds(60));
                    LoadGenerator rgLoad = new LoadGenerator("http://127.0.0.1:" + rgPort, options.maxConnections());
                    LoadGenerator ptLoad = new LoadGenerator("http://127.0.0.1:" + ptPort, options.maxConnections());
                    MemorySampler sampler = new MemorySampler(List.of(roomgate, passThrough))) {
                facts.put("roomgate.pid", roomgate.pid());
                roomgateManagementPort = rgMgmt;
                passThroughPort = ptPort;
                scenarios(upstreams, roomgate, passThrough, rgLoad, ptLoad, rgMgmt);
                long[] byKind = roomgate.residentByKind();
                facts.put("roomgate.rss.endAnonKb", byKind[0]);
                facts.put("roomgate.rss.endFileKb", byKind[1]);
                long[] ptByKind = passThrough.residentByKind();
                facts.put("passThrough.rss.endAnonKb", ptByKind[0]);
                facts.put("passThrough.rss.endFileKb", ptByKind[1]);
                System.out.printf("== resident after the load, anonymous + file-backed: roomgate %d + %d KiB, "
                        + "pass-through %d + %d KiB%n", byKind[0], byKind[1], ptByKind[0], ptByKind[1]);
                facts.put("roomgate.rss.peakSampledKb", roomgate.peakSampledRssKb());
                facts.put("roomgate.rss.highWaterKb", roomgate.highWaterRssKb());
                facts.put("passThrough.rss.peakSampledKb", passThrough.peakSampledRssKb());
                facts.put("passThrough.rss.highWaterKb", passThrough.highWaterRssKb());
            }
        }
        new Report(options, facts, results).write(options.output());
        System.out.println("Benchmark report written to " + options.output().resolve("results.md"));
    }

    private void scenarios(CannedUpstreams upstreams, ServerJvm roomgate, ServerJvm passThrough,
            LoadGenerator rgLoad, LoadGenerator ptLoad, int rgMgmt) throws Exception {
        Duration warmup = options.warmup();
        Duration measure = options.measure();
        int users = options.users();
        Supplier<Request> echo = () -> new Request("/echo", Map.of());
        Map<String, String> key = Map.of("X-API-Key", API_KEY);
        Supplier<Request> hot = () -> new Request("/v1/rooms/bench-hot", key);
        // Uncached: every request skips reuse (no-cache) and asks for one of many rooms, so concurrent requests
        // almost never share a lookup: each one pays the whole fan-out.
        AtomicLong sequence = new AtomicLong();
        Map<String, String> noCache = Map.of("X-API-Key", API_KEY, "Cache-Control", "no-cache");
        // 500 live rooms: the cache's entries are replaced, not multiplied (10 000 entries of 55 participants each
        // would be what the heap has to hold, not what the request path costs).
        Supplier<Request> uncached = () -> new Request("/v1/rooms/bench-" + (sequence.incrementAndGet() % 500),
                noCache);

        // 1. Maximum throughput, closed model. The machine is shared, so the three are interleaved in rounds and
        //    each ratio is the median of its per-round ratios: a neighbour's build hits both sides of a ratio alike.
        //    First each path is run long enough for the JIT: on one pinned core the compiler shares the core with
        //    the load, and a cache hit cost 1.05 ms of CPU after 20 s of load, 0.38 ms after 60 s.
        Duration jit = Duration.ofSeconds(Long.parseLong(options.given().getOrDefault("jit-warmup", "60")));
        facts.put("jitWarmup", jit);
        ptLoad.closed("pass-through warm-up", echo, users, jit.plus(warmup), Duration.ZERO);
        rgLoad.closed("hot warm-up", hot, options.hotUsers(), jit.plus(warmup), Duration.ZERO);
        rgLoad.closed("uncached warm-up", uncached, options.uncachedUsers(), jit.plus(warmup), Duration.ZERO);
        Duration ramp = Duration.ofSeconds(1);
        List<Result> ptRounds = new ArrayList<>();
        List<Result> hotRounds = new ArrayList<>();
        List<Result> uncachedRounds = new ArrayList<>();
        List<Double> hotRatios = new ArrayList<>();
        List<Double> uncachedRatios = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            String suffix = " (round " + round + ")";
            Result pt = measured(passThrough, "pass-through max", ramp, () -> ptLoad.closed("pass-through max"
                    + suffix, echo, users, ramp, measure));
            Result hotRound = measured(roomgate, "hot max", ramp, () -> rgLoad.closed("hot max" + suffix, hot,
                    options.hotUsers(), ramp, measure));
            Result uncachedRound = measured(roomgate, "uncached max", ramp, () -> rgLoad.closed("uncached max"
                    + suffix, uncached, options.uncachedUsers(), ramp, measure));
            ptRounds.add(pt);
            hotRounds.add(hotRound);
            uncachedRounds.add(uncachedRound);
            hotRatios.add(hotRound.throughput() / pt.throughput());
            uncachedRatios.add(uncachedRound.throughput() / pt.throughput());
        }
        Result ptMax = medianByThroughput(ptRounds);
        Result hotMax = medianByThroughput(hotRounds);
        Result uncachedMax = medianByThroughput(uncachedRounds);
        facts.put("passThrough.max", ptMax);
        facts.put("hot.max", hotMax);
        facts.put("uncached.max", uncachedMax);
        facts.put("ratio.hot.rounds", hotRatios);
        facts.put("ratio.uncached.rounds", uncachedRatios);
        Map<String, Double> overheadBefore = scrapeOverhead(rgMgmt);

        // 2. Latency at half the maximum throughput, open model (latency counted from when a request was due).
        Result ptHalf = measured(passThrough, "pass-through half", () -> ptLoad.open("pass-through", echo,
                ptMax.throughput() / 2, warmup, measure));
        Result hotHalf = measured(roomgate, "hot half", () -> rgLoad.open("hot (cached room)", hot,
                hotMax.throughput() / 2, warmup, measure));
        Result uncachedHalf = measured(roomgate, "uncached half", () -> rgLoad.open("uncached aggregate", uncached,
                uncachedMax.throughput() / 2, warmup, measure));
        facts.put("passThrough.half", ptHalf);
        facts.put("hot.half", hotHalf);
        facts.put("uncached.half", uncachedHalf);

        // 3. Fan-out at low load: uncached aggregates at a gentle rate, against the slowest provider's latency.
        Map<String, Double> overheadMid = scrapeOverhead(rgMgmt);
        Result fanOut = measured(roomgate, "fan-out", () -> rgLoad.open("uncached aggregate, low load", uncached,
                options.lowRate(), Duration.ofSeconds(3), measure));
        Map<String, Double> overheadAfter = scrapeOverhead(rgMgmt);
        facts.put("fanOut", fanOut);
        facts.put("fanOut.slowestProviderMs", (double) options.delays().slowestProvider().toMillis());
        facts.put("overhead.lowLoad", delta(overheadMid, overheadAfter));
        facts.put("overhead.saturated", overheadBefore);

        // 4. The herd: identical requests for a room nobody asked for yet, all at once.
        long callsBefore = upstreams.providerCalls();
        long answered = 0;
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        for (int round = 0; round < options.herdRounds(); round++) {
            answered += rgLoad.burst(new Request("/v1/rooms/herd-" + nonce + "-" + round, key), options.herdSize());
        }
        long herdCalls = upstreams.providerCalls() - callsBefore;
        facts.put("herd.rounds", options.herdRounds());
        facts.put("herd.size", options.herdSize());
        facts.put("herd.answered", answered);
        facts.put("herd.upstreamCalls", herdCalls);
        facts.put("herd.callsPerLookup", 5);
    }

    private static Result medianByThroughput(List<Result> rounds) {
        List<Result> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(Result::throughput));
        return sorted.get(sorted.size() / 2);
    }

    private Result measured(ServerJvm server, String label, Supplier<Result> scenario) {
        return measured(server, label, options.warmup(), scenario);
    }

    /**
     * Runs a scenario and keeps the server's CPU time per answer (over warm-up and measurement) and the heap it
     * allocated per answer.
     */
    private Result measured(ServerJvm server, String label, Duration warm, Supplier<Result> scenario) {
        boolean roomgate = roomgateManagementPort > 0 && (label.startsWith("hot") || label.startsWith("uncached")
                || label.startsWith("fan-out"));
        boolean passThrough = passThroughPort > 0 && label.startsWith("pass-through");
        DoubleSupplier allocated = roomgate ? () -> allocatedBytes(roomgateManagementPort)
                : passThrough ? () -> passThroughAllocatedBytes(passThroughPort) : () -> Double.NaN;
        double cpuBefore = server.cpuSeconds();
        double allocatedBefore = allocated.getAsDouble();
        System.out.println("== " + label + " ...");
        Result result = scenario.get();
        double cpu = server.cpuSeconds() - cpuBefore;
        double answers = result.throughput() * (warm.toMillis() + options.measure().toMillis()) / 1000.0;
        addTo("cpuPerRequestMs." + label, cpu * 1000 / answers);
        double kbPerAnswer = (allocated.getAsDouble() - allocatedBefore) / answers / 1024;
        if (roomgate || passThrough) {
            addTo("allocatedKbPerAnswer." + label, kbPerAnswer);
        }
        System.out.printf("   %s [%s]: %.0f/s p50 %.2f p99 %.2f p99.9 %.2f ms, %d errors, %d B, server cpu %.1f s, "
                + "%.1f KiB allocated per answer%n", result.name(), result.model(), result.throughput(),
                result.p50Ms(), result.p99Ms(), result.p999Ms(), result.errors(), result.meanBodyBytes(), cpu,
                kbPerAnswer);
        results.add(result);
        return result;
    }

    @SuppressWarnings("unchecked")
    private void addTo(String key, double value) {
        ((List<Double>) facts.computeIfAbsent(key, k -> new ArrayList<Double>())).add(value);
    }

    /**
     * Micrometer's {@code jvm_gc_memory_allocated_bytes_total}: the young generation's growth between collections,
     * so it is exact up to the last collection; over a scenario of thousands of answers that is within a young
     * generation's size (a few per cent), and it needs no agent in the server.
     */
    private static double allocatedBytes(int managementPort) {
        return scrape(managementPort).entrySet().stream()
            .filter(metric -> metric.getKey().startsWith("jvm_gc_memory_allocated_bytes_total"))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    /**
     * The pass-through's heap allocated by all its threads so far ({@code ThreadMXBean}, its {@code /allocated}):
     * counted per allocation, not per collection, so it is exact, and it counts objects put straight into the old
     * generation, which Micrometer's figure for Roomgate leaves out; if anything it is the larger of the two.
     */
    private static double passThroughAllocatedBytes(int port) {
        return Double.parseDouble(get("http://127.0.0.1:" + port + "/allocated"));
    }

    // ---------------------------------------------------------------- start-up and AOT

    private void startups(String label, List<String> command, Path aotCache) throws Exception {
        List<String> cmd = aotCache == null ? command : withAot(command, aotCache);
        int mgmt = port(cmd, "--management.server.port=");
        List<Double> seconds = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < options.startups(); i++) {
            try (ServerJvm server = ServerJvm.start(label, forStartUp(cmd), runDir, runDir.resolve(label + "-start.log"),
                    "http://127.0.0.1:" + mgmt + "/actuator/health/readiness", Map.of(), Duration.ofSeconds(60))) {
                seconds.add(server.startupSeconds());
                rss.add(server.sample());
            }
        }
        System.out.println("== start-up " + label + ": " + seconds + " s");
        facts.put("startup." + label, seconds);
        facts.put("startup." + label + ".rssKb", rss);
    }

    private void startupsPassThrough(List<String> jvm, String upstream) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < options.startups(); i++) {
            int port = ServerJvm.freePort();
            try (ServerJvm server = ServerJvm.start("pass-through", forStartUp(passThroughCommand(options.java(), jvm,
                    port, upstream)), runDir,
                    runDir.resolve("pass-through-start.log"), "http://127.0.0.1:" + port + "/echo", Map.of(),
                    Duration.ofSeconds(60))) {
                seconds.add(server.startupSeconds());
            }
        }
        System.out.println("== start-up pass-through: " + seconds + " s");
        facts.put("startup.pass-through", seconds);
    }

    /**
     * JDK 25 (JEP 514): one training run with {@code -XX:AOTCacheOutput} writes the cache when the JVM exits;
     * Spring's {@code spring.context.exit=onRefresh} ends the run right after the context has started.
     */
    private Path trainAotCache(List<String> jvm, Path extracted, String upstream) throws Exception {
        Path cache = runDir.resolve("roomgate.aot");
        Files.deleteIfExists(cache);
        List<String> cmd = new ArrayList<>();
        cmd.add(options.java());
        cmd.addAll(jvm);
        cmd.add("-XX:AOTCacheOutput=" + cache);
        cmd.add("-Dspring.context.exit=onRefresh");
        cmd.add("-jar");
        cmd.add(extracted.toString());
        cmd.addAll(roomgateArgs(upstream, ServerJvm.freePort(), ServerJvm.freePort()));
        long started = System.nanoTime();
        ServerJvm.run(forStartUp(cmd), runDir, runDir.resolve("aot-training.log"), Duration.ofMinutes(5));
        facts.put("aot.trainingSeconds", (System.nanoTime() - started) / 1e9);
        facts.put("aot.cacheBytes", Files.size(cache));
        return cache;
    }

    private List<String> withAot(List<String> command, Path cache) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(1, "-XX:AOTCache=" + cache);
        return cmd;
    }

    // ---------------------------------------------------------------- commands

    static Path gatewayJar(Path root) throws IOException {
        Path target = root.resolve("gateway/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("roomgate-gateway-.*\\.jar"))
                .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway jar in " + target + ": build it first"));
        }
    }

    /** The jar extracted the way Spring Boot recommends for CDS/AOT: a plain jar and its libraries beside it. */
    static Path extract(Options options, Path runDir, Path jar) throws Exception {
        Path dir = runDir.resolve("roomgate");
        ServerJvm.run(List.of(options.java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force",
                "--destination", dir.toString()), runDir, runDir.resolve("extract.log"), Duration.ofMinutes(2));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    private List<String> pinned(List<String> command) {
        return pinned(command, serverCpus);
    }

    /**
     * Start-up is measured on the cores a 2-CPU pod would have ({@code --startup-cpus}, default all): pinned to one
     * core, the JIT and class loading share it and a start takes 2-3 times as long as it would in the Deployment.
     */
    private List<String> forStartUp(List<String> command) {
        // Explicitly: a child inherits the driver's own pinning to its core.
        return pinned(command, options.given().getOrDefault("startup-cpus", onlineCpus()));
    }

    private static String onlineCpus() {
        try {
            return Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
        }
        catch (IOException unreadable) {
            return "";
        }
    }

    private static List<String> pinned(List<String> command, String cpus) {
        if (cpus.isBlank()) {
            return command;
        }
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus));
        cmd.addAll(command);
        return cmd;
    }

    private List<String> roomgateCommand(List<String> jvm, Path extracted, String upstream) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(options.java());
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(extracted.toString());
        cmd.addAll(roomgateArgs(upstream, ServerJvm.freePort(), ServerJvm.freePort()));
        return cmd;
    }

    /** Three instances, one per provider type, all at the canned upstream; quota and bulkhead out of the way. */
    static List<String> roomgateArgs(String upstream, int port, int managementPort) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--management.server.port=" + managementPort);
        String[][] instances = { { "bench-plugnmeet", "plugnmeet" }, { "bench-tencent", "tencent" },
                { "bench-videosdk", "videosdk" } };
        for (String[] instance : instances) {
            String p = "--roomgate.providers." + instance[0] + ".";
            args.add(p + "type=" + instance[1]);
            args.add(p + "base-url=" + upstream);
            // High enough never to be what is measured (the runs stay below 2000 calls/s per instance), low
            // enough not to matter: the quota keeps a ring of 3 longs per permit, 24 MB at a million.
            args.add(p + "rate-limit.requests-per-second=20000");
            args.add(p + "max-concurrent-calls=2000");
            switch (instance[1]) {
                case "plugnmeet" -> {
                    args.add(p + "credentials.api-key=bench");
                    args.add(p + "credentials.api-secret=benchmark-secret-not-checked-0123456789");
                }
                case "tencent" -> {
                    args.add(p + "credentials.sdk-app-id=1400000000");
                    args.add(p + "credentials.identifier=administrator");
                    args.add(p + "credentials.secret-key=benchmark-secret-not-checked-0123456789");
                }
                default -> {
                    args.add(p + "credentials.api-key=bench");
                    args.add(p + "credentials.secret=benchmark-secret-not-checked-0123456789");
                }
            }
        }
        args.add("--roomgate.security.api-keys[0].name=bench");
        args.add("--roomgate.security.api-keys[0].sha256=" + sha256(API_KEY));
        args.add("--roomgate.security.api-keys[0].permissions=rooms,participants");
        // One client makes all the load: its own limit (50/s by default) stays on, so its cost is measured, but
        // high enough never to refuse.
        args.add("--roomgate.client-rate-limit.requests-per-second=1000000000");
        args.add("--roomgate.client-rate-limit.burst=1000000000");
        return args;
    }

    private List<String> passThroughCommand(List<String> jvm, int port, String upstream) {
        return pinned(passThroughCommand(options.java(), jvm, port, upstream));
    }

    static List<String> passThroughCommand(String java, List<String> jvm, int port, String upstream) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PassThroughGateway.class.getName());
        cmd.add("--server.port=" + port);
        cmd.add("--spring.main.banner-mode=off");
        cmd.add("--spring.cloud.gateway.server.webflux.routes[0].id=echo");
        cmd.add("--spring.cloud.gateway.server.webflux.routes[0].uri=" + upstream);
        cmd.add("--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/echo");
        return cmd;
    }

    private static int port(List<String> command, String prefix) {
        return command.stream().filter(arg -> arg.startsWith(prefix)).map(arg -> arg.substring(prefix.length()))
            .mapToInt(Integer::parseInt).findFirst().orElseThrow();
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    // ---------------------------------------------------------------- roomgate.overhead from Prometheus

    /** The {@code roomgate_overhead_seconds} histogram's count, sum and cumulative buckets, by name. */
    private static Map<String, Double> scrapeOverhead(int managementPort) {
        Map<String, Double> values = new LinkedHashMap<>(scrape(managementPort));
        values.keySet().removeIf(name -> !name.startsWith("roomgate_overhead_seconds"));
        return values;
    }

    /** Every sample of one Prometheus scrape, by its name and labels. */
    private static Map<String, Double> scrape(int managementPort) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : get("http://127.0.0.1:" + managementPort + "/actuator/prometheus").split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                String value = line.substring(space + 1);
                values.put(line.substring(0, space), value.endsWith("Inf")
                        ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                        : Double.parseDouble(value));
            }
        }
        return values;
    }

    /** The body of a GET on loopback: the servers' counters, read between scenarios. */
    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException | InterruptedException failed) {
            throw new IllegalStateException("GET " + url + " failed", failed);
        }
    }

    private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((name, value) -> delta.put(name, value - before.getOrDefault(name, 0.0)));
        return delta;
    }

    // ---------------------------------------------------------------- machine

    private int javaFeature() throws Exception {
        Process version = new ProcessBuilder(options.java(), "-version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        facts.put("jdk", text.lines().toList());
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(text);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 17;
    }

    private void recordMachine(List<String> jvm) throws IOException {
        facts.put("date", Instant.now().toString());
        facts.put("nproc", Runtime.getRuntime().availableProcessors());
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
            .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        facts.put("cpu", cpu);
        facts.put("cpus.online", Files.readString(Path.of("/sys/devices/system/cpu/online")).trim());
        facts.put("memTotal", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        facts.put("loadavg.atStart", Files.readString(Path.of("/proc/loadavg")).trim());
        facts.put("jvmFlags", String.join(" ", jvm));
        facts.put("driverJvm", System.getProperty("java.version") + " " + String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /** Samples both servers' resident memory every 200 ms while the scenarios run. */
    static final class MemorySampler implements AutoCloseable {

        private final Thread thread;

        private volatile boolean running = true;

        MemorySampler(List<ServerJvm> servers) {
            this.thread = new Thread(() -> {
                while (running) {
                    servers.forEach(ServerJvm::sample);
                    try {
                        Thread.sleep(200);
                    }
                    catch (InterruptedException stop) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(2000);
        }
    }
}
