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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.roomgate.benchmark.FleetUpstreams.Calls;
import dev.roomgate.benchmark.FleetUpstreams.Fleet;
import dev.roomgate.benchmark.LoadGenerator.Request;
import dev.roomgate.benchmark.LoadGenerator.Result;

/**
 * The fleet view under load (`--suite=fleet`): {@code GET /v1/rooms} over three instances whose canned listings
 * hold a few hundred rooms each, in their providers' wire formats. First a Roomgate whose listings stay fresh for
 * the whole phase, beside the pass-through in the same run: hot page throughput and latency, a cursor walk of the
 * whole fleet, herds that ask for listings read now. Then a Roomgate with the default {@code fresh-for}: herds on
 * expired listings, dashboards polling across expiries, and a big Tencent app and a big VideoSDK account, whose
 * listings outlast one request's wait. Every listing call is counted where the provider would count it.
 */
final class FleetBenchmark {

    static final String API_KEY = Benchmark.API_KEY;

    static final List<String> NORMAL = List.of("bench-plugnmeet", "bench-tencent", "bench-videosdk");

    static final String BIG_TENCENT = "bench-tencent-big";

    static final String BIG_VIDEOSDK = "bench-videosdk-big";

    /** A realistic instance budget, the default of {@code roomgate.providers.<name>.timeout}. */
    static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(2);

    /** {@code roomgate.fleet.fresh-for}'s default, for the second Roomgate. */
    static final Duration DEFAULT_FRESH_FOR = Duration.ofSeconds(5);

    /** One provider instance of a run: its name, type, where its listing is, and its account id. */
    record Instance(String name, String type, String baseUrl, String accountId) {
    }

    /** A herd of identical requests and what it cost at the upstream. */
    record Herd(String label, int size, long answered, double millis, double maxLatencyMs, long complete,
            Map<String, Map<String, Long>> statuses, Calls calls, Map<String, Double> listings) {
    }

    /** A walk of the whole fleet by {@code nextCursor}. */
    record Walk(String label, int limit, int pages, int rooms, int distinct, double millis, boolean everyPageComplete) {
    }

    /** One probe of a big listing: when it was sent (from the first), what it got. */
    record Probe(double sentMs, double tookMs, int httpStatus, FleetPage.InstanceResult result, int roomsInPage) {
    }

    /** A big instance's listing read while requests keep asking for it. */
    record BigListing(String instance, int rooms, int pageSize, List<Probe> probes, double completeAfterMs,
            int walkedRooms, long calls, long refused, double firstToLastCallMs, int maxCallsInSlidingSecond) {
    }

    private final Options options;

    private final Path runDir;

    private final Map<String, String> given;

    private final Map<String, Object> facts = new LinkedHashMap<>();

    private final List<Result> results = new ArrayList<>();

    private final Map<String, Double> cpuPerRequestMs = new LinkedHashMap<>();

    private final List<Double> hotRatios = new ArrayList<>();

    private final List<Herd> herds = new ArrayList<>();

    private final List<Walk> walks = new ArrayList<>();

    private final List<BigListing> bigListings = new ArrayList<>();

    private final int fleetSize;

    private final Duration warmup;

    private final Duration measure;

    private final Map<String, String> key = Map.of("X-API-Key", API_KEY);

    private final String serverCpus;

    FleetBenchmark(Options options) {
        this.options = options;
        this.runDir = options.root().resolve("benchmark/target/run-fleet");
        this.given = options.given();
        this.fleetSize = Integer.parseInt(given.getOrDefault("fleet-rooms", "300"));
        this.warmup = Duration.ofSeconds(Long.parseLong(given.getOrDefault("fleet-warmup", "8")));
        this.measure = Duration.ofSeconds(Long.parseLong(given.getOrDefault("fleet-measure", "8")));
        this.serverCpus = given.getOrDefault("server-cpus",
                Runtime.getRuntime().availableProcessors() >= 2 ? "1" : "");
    }

    void run() throws Exception {
        Files.createDirectories(runDir);
        String driverCpus = given.getOrDefault("driver-cpus", "0");
        if (!serverCpus.isBlank()) {
            // The driver (load generator, canned upstreams) on its own core, the servers under test on the other.
            ServerJvm.run(List.of("taskset", "-a", "-pc", driverCpus, Long.toString(ProcessHandle.current().pid())),
                    runDir, runDir.resolve("taskset.log"), Duration.ofSeconds(10));
        }
        Fleet normal = new Fleet(fleetSize, fleetSize, fleetSize);
        Fleet big = new Fleet(0, Integer.parseInt(given.getOrDefault("fleet-big-tencent", "2000")),
                Integer.parseInt(given.getOrDefault("fleet-big-videosdk", "3000")));
        facts.put("date", Instant.now().toString());
        facts.put("cpus", "Roomgate and the pass-through on " + (serverCpus.isBlank() ? "any" : serverCpus)
                + ", driver (load generator, canned upstreams) on " + driverCpus + " (taskset)");
        facts.put("loadavg.atStart", loadAverage());
        facts.put("fleet", normal + ", " + normal.total() + " rooms");
        facts.put("big instances", BIG_TENCENT + " " + big.tencentRooms() + " rooms, " + BIG_VIDEOSDK + " "
                + big.videoSdkSessions() + " sessions");
        facts.put("upstream delay per call", options.delays());
        facts.put("instance timeout", INSTANCE_TIMEOUT + " each (roomgate.providers.<name>.timeout); quotas and "
                + "list-rate-limit left at their defaults (200/s, 10/s)");
        Path extracted = Benchmark.extract(options, runDir, Benchmark.gatewayJar(options.root()));
        List<String> jvm = new ArrayList<>(Arrays.asList(options.jvmFlags().trim().split("\\s+")));
        if (Runtime.version().feature() >= 25) {
            jvm.add("--enable-native-access=ALL-UNNAMED");
        }
        facts.put("jvmFlags", String.join(" ", jvm));
        if (!options.roomgateExtraFlags().isBlank()) {
            facts.put("roomgate extra flags", options.roomgateExtraFlags());
        }
        try (CannedUpstreams echo = new CannedUpstreams(options.delays());
                FleetUpstreams fleet = new FleetUpstreams("normal", normal, options.delays());
                FleetUpstreams bigFleet = new FleetUpstreams("big", big, options.delays())) {
            hotPhase(jvm, extracted, echo, fleet);
            expiryPhase(jvm, extracted, fleet, bigFleet);
        }
        facts.put("loadavg.atEnd", loadAverage());
        Path report = options.output().resolve("fleet.md");
        new FleetReport(facts, results, cpuPerRequestMs, hotRatios, herds, walks, bigListings, fleetSize)
            .write(report);
        System.out.println("Fleet report written to " + report);
    }

    // ---------------------------------------------------------------- phase 1: listings kept fresh

    private void hotPhase(List<String> jvm, Path extracted, CannedUpstreams echo, FleetUpstreams fleet)
            throws Exception {
        int port = ServerJvm.freePort();
        int management = ServerJvm.freePort();
        int ptPort = ServerJvm.freePort();
        List<Instance> instances = normalInstances(fleet);
        // Fresh for longer than the phase: what is measured is serving a reused listing, not reading one.
        List<String> hotJvm = new ArrayList<>(jvm);
        if (!options.roomgateExtraFlags().isBlank()) {
            // Only for the Roomgate of the hot page, e.g. a flight recording; "#" separates flags in one property.
            hotJvm.addAll(Arrays.asList(options.roomgateExtraFlags().trim().split("[#\\s]+")));
        }
        List<String> roomgate = pinned(command(hotJvm, extracted, arguments(port, management, instances, "30m")));
        List<String> passThrough = pinned(Benchmark.passThroughCommand(options.java(), jvm, ptPort, echo.baseUrl()));
        try (ServerJvm pt = ServerJvm.start("pass-through", passThrough, runDir, runDir.resolve("pass-through.log"),
                "http://127.0.0.1:" + ptPort + "/echo", Map.of(), Duration.ofSeconds(90));
                ServerJvm rg = ServerJvm.start("roomgate", roomgate, runDir, runDir.resolve("roomgate-hot.log"),
                        readiness(management), Map.of(), Duration.ofSeconds(90));
                LoadGenerator ptLoad = new LoadGenerator("http://127.0.0.1:" + ptPort, options.maxConnections());
                LoadGenerator rgLoad = new LoadGenerator("http://127.0.0.1:" + port, options.maxConnections());
                Benchmark.MemorySampler sampler = new Benchmark.MemorySampler(List.of(rg))) {
            facts.put("roomgate (phase 1) start-up s", rg.startupSeconds());
            hot(pt, rg, ptLoad, rgLoad);
            walks.add(walk("whole fleet, fresh listings", "http://127.0.0.1:" + port, "", 100));
            herds(fleet, management, "http://127.0.0.1:" + port, "no-cache", Map.of("X-API-Key", API_KEY,
                    "Cache-Control", "no-cache"), "", Duration.ZERO);
            long[] byKind = rg.residentByKind();
            facts.put("roomgate.rss.peakSampledKb (phase 1)", rg.peakSampledRssKb());
            facts.put("roomgate.rss.highWaterKb (phase 1)", rg.highWaterRssKb());
            facts.put("roomgate.rss.end anon + file Kb (phase 1)", byKind[0] + " + " + byKind[1]);
            facts.put("passThrough.rss.now Kb", pt.sample());
            facts.put("tencent get_room_list max calls in a sliding second (phase 1)",
                    CannedUpstreams.maxInAnyWindow(fleet.takeTencentArrivals(), Duration.ofSeconds(1)));
        }
    }

    private void hot(ServerJvm pt, ServerJvm rg, LoadGenerator ptLoad, LoadGenerator rgLoad) {
        Supplier<Request> echo = () -> new Request("/echo", Map.of());
        Supplier<Request> page = () -> new Request("/v1/rooms?limit=100", key);
        System.out.println("== warm-up ...");
        ptLoad.closed("pass-through warm-up", echo, options.users(), warmup, Duration.ZERO);
        rgLoad.closed("fleet page warm-up", page, options.hotUsers(), warmup, Duration.ZERO);
        // Interleaved rounds, each ratio within a round: a neighbour's build hits both sides of it alike.
        Duration ramp = Duration.ofSeconds(1);
        List<Result> ptRounds = new ArrayList<>();
        List<Result> pageRounds = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            String suffix = " (round " + round + ")";
            facts.put("loadavg before round " + round, loadAverage());
            Result ptRound = measured(pt, "pass-through /echo max", ramp, () -> ptLoad.closed("pass-through /echo max"
                    + suffix, echo, options.users(), ramp, measure));
            Result pageRound = measured(rg, "fleet page max", ramp, () -> rgLoad.closed("fleet page max" + suffix,
                    page, options.hotUsers(), ramp, measure));
            ptRounds.add(ptRound);
            pageRounds.add(pageRound);
            hotRatios.add(pageRound.throughput() / ptRound.throughput());
        }
        Result ptMax = median(ptRounds);
        Result pageMax = median(pageRounds);
        facts.put("loadavg before half load", loadAverage());
        Duration halfWarm = Duration.ofSeconds(3);
        measured(pt, "pass-through /echo half", halfWarm, () -> ptLoad.open("pass-through /echo half", echo,
                ptMax.throughput() / 2, halfWarm, measure));
        measured(rg, "fleet page half", halfWarm, () -> rgLoad.open("fleet page half", page,
                pageMax.throughput() / 2, halfWarm, measure));
    }

    // ---------------------------------------------------------------- phase 2: default fresh-for, big listings

    private void expiryPhase(List<String> jvm, Path extracted, FleetUpstreams fleet, FleetUpstreams bigFleet)
            throws Exception {
        int port = ServerJvm.freePort();
        int management = ServerJvm.freePort();
        List<Instance> instances = new ArrayList<>(normalInstances(fleet));
        instances.add(new Instance(BIG_TENCENT, "tencent", bigFleet.baseUrl(), "1400000002"));
        instances.add(new Instance(BIG_VIDEOSDK, "videosdk", bigFleet.baseUrl(), "bench-big"));
        List<String> roomgate = pinned(command(jvm, extracted, arguments(port, management, instances, null)));
        String base = "http://127.0.0.1:" + port;
        String normalOnly = "&providers=" + String.join(",", NORMAL);
        try (ServerJvm rg = ServerJvm.start("roomgate", roomgate, runDir, runDir.resolve("roomgate-expiry.log"),
                readiness(management), Map.of(), Duration.ofSeconds(90));
                LoadGenerator rgLoad = new LoadGenerator(base, options.maxConnections());
                Benchmark.MemorySampler sampler = new Benchmark.MemorySampler(List.of(rg))) {
            // The listings are read once, then left to expire before each herd.
            FleetPage.getNow(base, "/v1/rooms?limit=100" + normalOnly, key);
            herds(fleet, management, base, "expired listings", key, normalOnly, DEFAULT_FRESH_FOR.plusMillis(500));
            polling(rg, rgLoad, management, normalOnly);
            bigListings.add(bigListing(base, bigFleet, BIG_TENCENT, bigFleet.fleet().tencentRooms(),
                    FleetUpstreams.TENCENT_PAGE_LIMIT, true));
            bigListings.add(bigListing(base, bigFleet, BIG_VIDEOSDK, bigFleet.fleet().videoSdkSessions(),
                    FleetUpstreams.VIDEOSDK_MAX_PER_PAGE, false));
            facts.put("roomgate.rss.peakSampledKb (phase 2)", rg.peakSampledRssKb());
            facts.put("roomgate.rss.highWaterKb (phase 2)", rg.highWaterRssKb());
            facts.put("tencent get_room_list max calls in a sliding second (phase 2, normal fleet)",
                    CannedUpstreams.maxInAnyWindow(fleet.takeTencentArrivals(), Duration.ofSeconds(1)));
            facts.put("tencent get_room_list calls refused with 60007 (whole run, normal fleet)",
                    fleet.calls().tencentRefused());
        }
    }

    /**
     * Dashboards polling across expiries: each listing is reused for {@code fresh-for}, then read again while
     * requests wait for it, so what the slowest listing takes shows up in the tail.
     */
    private void polling(ServerJvm rg, LoadGenerator rgLoad, int management, String normalOnly) throws Exception {
        double rate = Double.parseDouble(given.getOrDefault("fleet-poll-rate", "100"));
        Duration span = Duration.ofSeconds(Long.parseLong(given.getOrDefault("fleet-poll-seconds", "16")));
        // A few seconds of the same load first, not counted: this JVM's JIT has seen few fleet pages yet.
        Duration warm = Duration.ofSeconds(4);
        facts.put("loadavg before polling", loadAverage());
        Map<String, Double> before = listings(management);
        Supplier<Request> page = () -> new Request("/v1/rooms?limit=100" + normalOnly, key);
        measured(rg, "fleet page polled, fresh-for 5s", warm, () -> rgLoad.open(
                "fleet page polled across expiries (fresh-for 5s)", page, rate, warm, span));
        Map<String, Double> after = listings(management);
        facts.put("listings read while polling (warm-up included), " + String.join(" / ", NORMAL),
                String.join(" / ", NORMAL.stream().map(name -> String.format("%.0f", after.getOrDefault(name, 0.0)
                        - before.getOrDefault(name, 0.0))).toList()));
    }

    // ---------------------------------------------------------------- scenarios shared by the phases

    /** Herds of identical requests, each counted at the upstream and in Roomgate's listing meter. */
    private void herds(FleetUpstreams fleet, int management, String base, String label,
            Map<String, String> headers, String query, Duration before) throws Exception {
        int rounds = Integer.parseInt(given.getOrDefault("fleet-herd-rounds", "3"));
        facts.put("loadavg before herds (" + label + ")", loadAverage());
        for (int round = 1; round <= rounds; round++) {
            // Tencent's sliding second empties first, so that every herd's listing is read at the full pace.
            Thread.sleep(Math.max(1200, before.toMillis()));
            Calls callsBefore = fleet.calls();
            Map<String, Double> listingsBefore = listings(management);
            long sent = System.nanoTime();
            // Read whole, not only counted: what each answer says of each instance (ok, or stale past its wait).
            List<CompletableFuture<FleetPage>> requests = new ArrayList<>();
            for (int i = 0; i < options.herdSize(); i++) {
                requests.add(FleetPage.get(base, "/v1/rooms?limit=100" + query, headers));
            }
            List<FleetPage> pages = requests.stream().map(CompletableFuture::join).toList();
            double millis = (System.nanoTime() - sent) / 1e6;
            long answered = pages.stream().filter(page -> page.httpStatus() == 200).count();
            long complete = pages.stream().filter(page -> page.instances().values().stream()
                .allMatch(result -> "ok".equals(result.status()))).count();
            Map<String, Map<String, Long>> statuses = new LinkedHashMap<>();
            for (FleetPage page : pages) {
                page.instances().forEach((name, result) -> statuses.computeIfAbsent(name, n -> new LinkedHashMap<>())
                    .merge(result.status(), 1L, Long::sum));
            }
            double maxLatency = pages.stream().mapToDouble(FleetPage::tookMs).max().orElse(0);
            // A read a herd started goes on after its requests were answered only if they stopped waiting.
            Thread.sleep(200);
            Map<String, Double> listingsAfter = listings(management);
            Map<String, Double> delta = new LinkedHashMap<>();
            listingsAfter.forEach((name, value) -> delta.put(name, value - listingsBefore.getOrDefault(name, 0.0)));
            Herd herd = new Herd(label + ", herd " + round, options.herdSize(), answered, millis, maxLatency,
                    complete, statuses, fleet.calls().minus(callsBefore), delta);
            System.out.println("== herd " + herd);
            herds.add(herd);
        }
    }

    /** Every page of the fleet by its cursor; rooms are counted, and counted once. */
    private Walk walk(String label, String base, String query, int limit) throws IOException {
        long started = System.nanoTime();
        List<String> rooms = new ArrayList<>();
        int pages = 0;
        boolean complete = true;
        String cursor = null;
        do {
            FleetPage page = FleetPage.getNow(base, "/v1/rooms?limit=" + limit + query
                    + (cursor == null ? "" : FleetPage.cursorParameter(cursor)), key);
            pages++;
            rooms.addAll(page.rooms());
            complete &= page.httpStatus() == 200 && page.instances().values().stream()
                .allMatch(result -> "ok".equals(result.status()));
            cursor = page.nextCursor();
        }
        while (cursor != null && pages < 1000);
        Set<String> distinct = new HashSet<>(rooms);
        Walk walk = new Walk(label, limit, pages, rooms.size(), distinct.size(), (System.nanoTime() - started) / 1e6,
                complete);
        System.out.println("== walk " + walk);
        return walk;
    }

    /**
     * A big instance nobody asked for yet, probed every {@code probe-interval} until an answer lists it whole: the
     * first read outlasts a request's wait, so the early answers get the rooms read so far.
     */
    private BigListing bigListing(String base, FleetUpstreams bigFleet, String instance, int rooms, int pageSize,
            boolean tencent) throws Exception {
        facts.put("loadavg before " + instance, loadAverage());
        Duration interval = Duration.ofMillis(Long.parseLong(given.getOrDefault("fleet-probe-interval-ms", "500")));
        Calls before = bigFleet.calls();
        bigFleet.takeTencentArrivals();
        bigFleet.takeVideoSdkArrivals();
        String query = "/v1/rooms?limit=500&providers=" + instance;
        long started = System.nanoTime();
        List<CompletableFuture<Probe>> probes = new ArrayList<>();
        double completeAfter = -1;
        while (completeAfter < 0 && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
            double sentMs = (System.nanoTime() - started) / 1e6;
            probes.add(FleetPage.get(base, query, key).thenApply(page -> new Probe(sentMs, page.tookMs(),
                    page.httpStatus(), page.instances().get(instance), page.rooms().size())));
            Thread.sleep(interval.toMillis());
            completeAfter = probes.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                .filter(probe -> probe.result() != null && "ok".equals(probe.result().status()))
                .mapToDouble(probe -> probe.sentMs() + probe.tookMs()).min().orElse(-1);
        }
        List<Probe> answered = probes.stream().map(CompletableFuture::join)
            .sorted(Comparator.comparingDouble(Probe::sentMs)).toList();
        Walk walk = walk(instance + " once listed", base, "&providers=" + instance, 500);
        walks.add(walk);
        Calls calls = bigFleet.calls().minus(before);
        long[] arrivals = tencent ? bigFleet.takeTencentArrivals() : bigFleet.takeVideoSdkArrivals();
        double span = arrivals.length < 2 ? 0 : (arrivals[arrivals.length - 1] - arrivals[0]) / 1e6;
        BigListing big = new BigListing(instance, rooms, pageSize, answered, completeAfter, walk.distinct(),
                tencent ? calls.tencent() : calls.videoSdk(), calls.tencentRefused(), span,
                CannedUpstreams.maxInAnyWindow(arrivals, Duration.ofSeconds(1)));
        System.out.println("== big listing " + big.instance() + ": complete after " + completeAfter + " ms, "
                + big.calls() + " calls, max " + big.maxCallsInSlidingSecond() + " in a sliding second");
        return big;
    }

    // ---------------------------------------------------------------- measuring

    /** Runs a scenario and keeps the server's CPU time per answer (ramp and measurement alike). */
    private Result measured(ServerJvm server, String label, Duration ramp, Supplier<Result> scenario) {
        double cpuBefore = server.cpuSeconds();
        System.out.println("== " + label + " ...");
        Result result = scenario.get();
        double cpu = server.cpuSeconds() - cpuBefore;
        double answers = result.throughput() * (ramp.toMillis() + result.seconds() * 1000) / 1000.0;
        cpuPerRequestMs.merge(label, cpu * 1000 / answers, (a, b) -> (a + b) / 2);
        System.out.printf("   %s [%s]: %.0f/s p50 %.2f p99 %.2f max %.2f ms, %d errors, %d B, server cpu %.1f s%n",
                result.name(), result.model(), result.throughput(), result.p50Ms(), result.p99Ms(), result.maxMs(),
                result.errors(), result.meanBodyBytes(), cpu);
        results.add(result);
        return result;
    }

    private static Result median(List<Result> rounds) {
        List<Result> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Result::throughput));
        return sorted.get(sorted.size() / 2);
    }

    /** {@code roomgate_fleet_listings_total} by instance (both outcomes), as Roomgate counts its listing reads. */
    private static Map<String, Double> listings(int management) throws IOException, InterruptedException {
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + management + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("roomgate_fleet_listings_total{")) {
                String provider = line.replaceAll(".*provider=\"([^\"]*)\".*", "$1");
                sums.merge(provider, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return sums;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException unreadable) {
            return "unknown";
        }
    }

    // ---------------------------------------------------------------- commands

    private List<Instance> normalInstances(FleetUpstreams fleet) {
        return List.of(new Instance(NORMAL.get(0), "plugnmeet", fleet.baseUrl(), "bench"),
                new Instance(NORMAL.get(1), "tencent", fleet.baseUrl(), "1400000001"),
                new Instance(NORMAL.get(2), "videosdk", fleet.baseUrl(), "bench"));
    }

    private List<String> pinned(List<String> command) {
        if (serverCpus.isBlank()) {
            return command;
        }
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", serverCpus));
        cmd.addAll(command);
        return cmd;
    }

    private List<String> command(List<String> jvm, Path extracted, List<String> arguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(options.java());
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(extracted.toString());
        cmd.addAll(arguments);
        return cmd;
    }

    private static String readiness(int management) {
        return "http://127.0.0.1:" + management + "/actuator/health/readiness";
    }

    /**
     * The instances at their canned listings with realistic budgets; quotas and the listing's own limit at their
     * defaults, since how fast a listing can be read is part of what is measured.
     *
     * @param freshFor {@code roomgate.fleet.fresh-for}, or null for its default
     */
    static List<String> arguments(int port, int managementPort, List<Instance> instances, String freshFor) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--management.server.port=" + managementPort);
        for (Instance instance : instances) {
            String p = "--roomgate.providers." + instance.name() + ".";
            args.add(p + "type=" + instance.type());
            args.add(p + "base-url=" + instance.baseUrl());
            args.add(p + "timeout=" + INSTANCE_TIMEOUT.toMillis() + "ms");
            switch (instance.type()) {
                case "plugnmeet" -> {
                    args.add(p + "credentials.api-key=" + instance.accountId());
                    args.add(p + "credentials.api-secret=benchmark-secret-not-checked-0123456789");
                }
                case "tencent" -> {
                    args.add(p + "credentials.sdk-app-id=" + instance.accountId());
                    args.add(p + "credentials.identifier=administrator");
                    args.add(p + "credentials.secret-key=benchmark-secret-not-checked-0123456789");
                }
                default -> {
                    args.add(p + "credentials.api-key=" + instance.accountId());
                    args.add(p + "credentials.secret=benchmark-secret-not-checked-0123456789");
                }
            }
        }
        if (freshFor != null) {
            args.add("--roomgate.fleet.fresh-for=" + freshFor);
        }
        args.add("--roomgate.security.api-keys[0].name=bench");
        args.add("--roomgate.security.api-keys[0].sha256=" + Benchmark.sha256(API_KEY));
        args.add("--roomgate.security.api-keys[0].permissions=rooms,participants");
        // One client makes all the load; its own limit stays on (its cost is part of a request) but never refuses.
        args.add("--roomgate.client-rate-limit.requests-per-second=1000000000");
        args.add("--roomgate.client-rate-limit.burst=1000000000");
        return args;
    }
}
