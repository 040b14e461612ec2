package dev.roomgate.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.roomgate.benchmark.FleetBenchmark.BigListing;
import dev.roomgate.benchmark.FleetBenchmark.Herd;
import dev.roomgate.benchmark.FleetBenchmark.Probe;
import dev.roomgate.benchmark.FleetBenchmark.Walk;
import dev.roomgate.benchmark.LoadGenerator.Result;

import static dev.roomgate.benchmark.Report.f0;
import static dev.roomgate.benchmark.Report.f1;
import static dev.roomgate.benchmark.Report.f2;
import static dev.roomgate.benchmark.Report.f3;

/** benchmark/report/fleet.md: the fleet view's acceptance checks against one run, then every figure of it. */
final class FleetReport {

    private final Map<String, Object> facts;

    private final List<Result> results;

    private final Map<String, Double> cpuPerRequestMs;

    private final List<Double> hotRatios;

    private final List<Herd> herds;

    private final List<Walk> walks;

    private final List<BigListing> bigListings;

    private final int fleetSize;

    FleetReport(Map<String, Object> facts, List<Result> results, Map<String, Double> cpuPerRequestMs,
            List<Double> hotRatios, List<Herd> herds, List<Walk> walks, List<BigListing> bigListings, int fleetSize) {
        this.facts = facts;
        this.results = results;
        this.cpuPerRequestMs = cpuPerRequestMs;
        this.hotRatios = hotRatios;
        this.herds = herds;
        this.walks = walks;
        this.bigListings = bigListings;
        this.fleetSize = fleetSize;
    }

    void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Fleet view under load\n\n");
        md.append("Written by `FleetBenchmark` (`-Dbenchmark.args=--suite=fleet`, see README.md). Canned upstreams ")
            .append("(`FleetUpstreams`) answer the three providers' room listings in their wire formats: plugNmeet ")
            .append("`getActiveRoomsInfo` (every room with 3 participants, one answer), Tencent `get_room_list` (20 ")
            .append("rooms a page by `Next`, refusing with 60007 past 10 calls in any sliding second, as Tencent ")
            .append("documents), VideoSDK `GET /v2/sessions?status=ongoing` (`page`/`perPage`, at most 100 a page), ")
            .append("each call after the delay below. Every listing call is counted where it arrives.\n\n")
            .append("Phase 1: a Roomgate with `roomgate.fleet.fresh-for=30m`, so that every fleet answer reuses ")
            .append("the listings, beside the plain Spring Cloud Gateway pass-through (`/echo`, one ~1 KiB answer ")
            .append("after 20 ms), both pinned to the same core, loaded one at a time. Closed model (N users, each ")
            .append("sends its next request when answered) for the maximum, in interleaved rounds with the ratio ")
            .append("taken within each round; open model (requests start on schedule, latency from when they were ")
            .append("due) at half of each side's median maximum. Server CPU per request is the process's CPU time ")
            .append("(`/proc/<pid>/stat`) over a window divided by its answers. Then a walk of every page by ")
            .append("`nextCursor`, and herds with `Cache-Control: no-cache`. Phase 2: a Roomgate with the default ")
            .append("`fresh-for` (5 s), herds on expired listings, polling across expiries, and the big instances ")
            .append("probed every 500 ms from their first request on.\n\n");
        facts.forEach((name, value) -> md.append("- ").append(name).append(": `").append(value).append("`\n"));
        targets(md);
        readmeClaims(md);
        hot(md);
        walks(md);
        herds(md);
        polling(md);
        bigListings(md);
        everyWindow(md);
        Files.createDirectories(file.getParent());
        Files.writeString(file, md);
    }

    // ---------------------------------------------------------------- targets

    private void targets(StringBuilder md) {
        md.append("\n## Checks\n\n| check | measured | met |\n|---|---|---|\n");
        for (Herd herd : herds) {
            double worst = listingsPerInstance(herd).stream().mapToDouble(Double::doubleValue).max().orElse(0);
            check(md, "at most 2 listings per instance for " + herd.size() + " identical requests (" + herd.label()
                    + "; upstream calls / pages of one listing)", f2(worst) + " (" + herd.answered() + " of "
                    + herd.size() + " answered 200)", worst <= 2 && herd.answered() == herd.size());
        }
        for (Walk walk : walks) {
            check(md, "cursor walk (" + walk.label() + ") lists every room once", walk.distinct() + " distinct of "
                    + walk.rooms() + " listed, " + walk.pages() + " pages", walk.distinct() == walk.rooms()
                    && walk.rooms() == expectedRooms(walk));
        }
        for (Map.Entry<String, Object> fact : facts.entrySet()) {
            if (fact.getKey().contains("max calls in a sliding second")) {
                int max = ((Number) fact.getValue()).intValue();
                check(md, "get_room_list <= " + FleetUpstreams.TENCENT_LIST_LIMIT + " calls in any sliding second ("
                        + fact.getKey().replaceAll(".*\\((.*)\\)", "$1") + ")", Integer.toString(max),
                        max <= FleetUpstreams.TENCENT_LIST_LIMIT);
            }
        }
        for (BigListing big : bigListings) {
            Probe first = big.probes().get(0);
            String code = first.result() == null ? "none" : first.result().status() + " " + first.result().code();
            check(md, big.instance() + ": the first request gets 200, timeout LISTING_PARTIAL with rooms read so far",
                    first.httpStatus() + ", " + code + ", " + (first.result() == null ? 0 : first.result().roomsSoFar())
                            + " rooms so far, " + first.roomsInPage() + " in its page",
                    first.httpStatus() == 200 && first.result() != null && "LISTING_PARTIAL".equals(first.result()
                        .code()) && first.roomsInPage() > 0);
            check(md, big.instance() + ": listed whole once the read ends", big.walkedRooms() + " of " + big.rooms()
                    + " after " + f0(big.completeAfterMs()) + " ms", big.walkedRooms() == big.rooms());
            check(md, big.instance() + ": " + (big.refused() == 0 ? "no" : big.refused())
                    + " listing call refused by the provider's own limit", big.calls() + " calls, max "
                    + big.maxCallsInSlidingSecond() + " in a sliding second", big.refused() == 0
                    && big.maxCallsInSlidingSecond() <= FleetUpstreams.TENCENT_LIST_LIMIT);
        }
    }

    /**
     * The README's "What one read can list within its budget", against the big listings: figures within 10 % of
     * what it says agree.
     */
    private void readmeClaims(StringBuilder md) {
        md.append("\n## What one read can list within its budget (README, fleet view)\n\n")
            .append("| README says | measured | agrees |\n|---|---|---|\n");
        Herd expired = herds.stream().filter(herd -> herd.label().startsWith("expired")).findFirst().orElse(null);
        if (expired != null) {
            claim(md, "plugNmeet: one call per listing", expired.calls().plugNmeet() + " call(s) for a listing of "
                    + fleetSize + " rooms (" + expired.label() + ")", expired.calls().plugNmeet() == 1);
        }
        for (BigListing big : bigListings) {
            double roomsPerSecond = roomsPerSecond(big);
            Probe first = big.probes().get(0);
            int inOneWait = first.result() == null ? 0 : Math.max(0, first.result().roomsSoFar());
            if (big.instance().contains("tencent")) {
                claim(md, "Tencent: 20 rooms per call at its own 10 calls a second, about 200 rooms a second",
                        f0(roomsPerSecond) + " rooms/s (" + f2(roomsPerSecond / big.pageSize()) + " calls/s)",
                        near(roomsPerSecond, 200));
                claim(md, "Tencent: a 2 s timeout lists about 400 rooms in one wait", inOneWait
                        + " rooms in the first request's 2 s", near(inOneWait, 400));
                claim(md, "Tencent: the 30 s listing-timeout lists about 6 000 in the background", f0(30 * roomsPerSecond)
                        + " (30 s at the measured rate)", near(30 * roomsPerSecond, 6000));
            }
            else {
                double instanceQuota = 200;
                claim(md, "VideoSDK: 100 sessions per call at the instance's quota (default 200 calls/s, so up to "
                        + "20 000 sessions/s)", f0(roomsPerSecond) + " sessions/s (" + f2(roomsPerSecond
                                / big.pageSize()) + " calls/s); " + inOneWait + " sessions in the first request's 2 s",
                        near(roomsPerSecond / big.pageSize(), instanceQuota));
            }
        }
    }

    private static double roomsPerSecond(BigListing big) {
        double seconds = big.firstToLastCallMs() / 1000;
        return seconds == 0 ? 0 : (big.calls() - 1) / seconds * big.pageSize();
    }

    private static boolean near(double measured, double said) {
        return Math.abs(measured - said) <= 0.1 * said;
    }

    private static void claim(StringBuilder md, String said, String measured, boolean agrees) {
        md.append("| ").append(said).append(" | ").append(measured).append(" | ").append(agrees ? "yes" : "**no**")
            .append(" |\n");
    }

    private int expectedRooms(Walk walk) {
        for (BigListing big : bigListings) {
            if (walk.label().startsWith(big.instance())) {
                return big.rooms();
            }
        }
        return 3 * fleetSize;
    }

    /** Listings per instance as the upstream saw them: calls over the calls one listing of the fleet takes. */
    private List<Double> listingsPerInstance(Herd herd) {
        List<Double> perInstance = new ArrayList<>();
        perInstance.add((double) herd.calls().plugNmeet());
        perInstance.add(herd.calls().tencent() / (double) pages(fleetSize, FleetUpstreams.TENCENT_PAGE_LIMIT));
        perInstance.add(herd.calls().videoSdk() / (double) pages(fleetSize, FleetUpstreams.VIDEOSDK_MAX_PER_PAGE));
        return perInstance;
    }

    private static int pages(int rooms, int perPage) {
        return Math.max(1, (rooms + perPage - 1) / perPage);
    }

    private static void check(StringBuilder md, String what, String measured, boolean met) {
        md.append("| ").append(what).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
            .append(" |\n");
    }

    // ---------------------------------------------------------------- hot page

    private void hot(StringBuilder md) {
        md.append("\n## Hot fleet page against the pass-through\n\n")
            .append("`GET /v1/rooms?limit=100` (the first 100 of ").append(3 * fleetSize)
            .append(" rooms, listings reused) against the pass-through's `/echo`, same run, same core.\n\n")
            .append("| round | pass-through /echo req/s | fleet page req/s | ratio |\n|---|---|---|---|\n");
        List<Result> pt = named("pass-through /echo max (round");
        List<Result> page = named("fleet page max (round");
        for (int i = 0; i < hotRatios.size(); i++) {
            md.append("| ").append(i + 1).append(" | ").append(f0(pt.get(i).throughput())).append(" | ")
                .append(f0(page.get(i).throughput())).append(" | ").append(f3(hotRatios.get(i))).append(" |\n");
        }
        List<Double> sorted = new ArrayList<>(hotRatios);
        sorted.sort(Double::compare);
        md.append("\nMedian of the per-round ratios: **").append(f3(sorted.get(sorted.size() / 2))).append("x**.\n\n");
        md.append("| at half of its median maximum (open model) | req/s | p50 ms | p99 ms | max ms | errors | body B |\n")
            .append("|---|---|---|---|---|---|---|\n");
        for (Result half : named("half")) {
            md.append("| ").append(half.name()).append(" | ").append(f0(half.throughput())).append(" | ")
                .append(f2(half.p50Ms())).append(" | ").append(f2(half.p99Ms())).append(" | ").append(f1(half.maxMs()))
                .append(" | ").append(half.errors()).append(" | ").append(half.meanBodyBytes()).append(" |\n");
        }
        md.append("\n| server CPU per request (ms) | value |\n|---|---|\n");
        cpuPerRequestMs.forEach((label, ms) -> md.append("| ").append(label).append(" | ").append(f3(ms))
            .append(" |\n"));
        Double ptCpu = cpuPerRequestMs.get("pass-through /echo max");
        Double pageCpu = cpuPerRequestMs.get("fleet page max");
        if (ptCpu != null && pageCpu != null) {
            md.append("\nAt the maximum, a fleet page costs Roomgate **").append(f2(pageCpu / ptCpu))
                .append("x** the pass-through's CPU per request (mean over the rounds).\n");
        }
    }

    private List<Result> named(String part) {
        return results.stream().filter(result -> result.name().contains(part)).toList();
    }

    // ---------------------------------------------------------------- walks, herds, big listings

    private void walks(StringBuilder md) {
        md.append("\n## Cursor walks\n\n| walk | limit | pages | rooms listed | distinct | time ms | every page ok |\n")
            .append("|---|---|---|---|---|---|---|\n");
        for (Walk walk : walks) {
            md.append("| ").append(walk.label()).append(" | ").append(walk.limit()).append(" | ").append(walk.pages())
                .append(" | ").append(walk.rooms()).append(" | ").append(walk.distinct()).append(" | ")
                .append(f0(walk.millis())).append(" | ").append(walk.everyPageComplete() ? "yes" : "no").append(" |\n");
        }
    }

    private void herds(StringBuilder md) {
        md.append("\n## Herds\n\n")
            .append(herds.isEmpty() ? 0 : herds.get(0).size()).append(" identical `GET /v1/rooms?limit=100` sent at once (Java's HttpClient, ")
            .append("a connection each, every answer read); on expired listings they name the three instances in ")
            .append("`providers=`. ")
            .append("One listing of the fleet takes 1 plugNmeet call, ")
            .append(pages(fleetSize, FleetUpstreams.TENCENT_PAGE_LIMIT)).append(" Tencent pages and ")
            .append(pages(fleetSize, FleetUpstreams.VIDEOSDK_MAX_PER_PAGE)).append(" VideoSDK pages; ")
            .append("`roomgate_fleet_listings_total` is Roomgate's own count of listing reads.\n\n")
            .append("| herd | answered 200 | all instances ok | statuses per instance | slowest answer ms | ")
            .append("first sent to last answered ms | plugNmeet calls | Tencent calls | VideoSDK calls | listings per instance ")
            .append("(upstream) | listings per instance (meter) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Herd herd : herds) {
            md.append("| ").append(herd.label()).append(" | ").append(herd.answered()).append(" | ")
                .append(herd.complete()).append(" | ").append(statuses(herd)).append(" | ")
                .append(f0(herd.maxLatencyMs())).append(" | ")
                .append(f0(herd.millis())).append(" | ").append(herd.calls().plugNmeet()).append(" | ").append(herd.calls().tencent()).append(" | ")
                .append(herd.calls().videoSdk()).append(" | ")
                .append(String.join(" / ", listingsPerInstance(herd).stream().map(Report::f2).toList()))
                .append(" | ").append(String.join(" / ", FleetBenchmark.NORMAL.stream()
                    .map(name -> f0(herd.listings().getOrDefault(name, 0.0))).toList()))
                .append(" |\n");
        }
    }

    private static String statuses(Herd herd) {
        List<String> parts = new ArrayList<>();
        herd.statuses().forEach((instance, counts) -> parts.add(instance.replace("bench-", "") + " " + String.join(
                ", ", counts.entrySet().stream().map(count -> count.getValue() + " " + count.getKey()).toList())));
        return String.join("; ", parts);
    }

    private void polling(StringBuilder md) {
        md.append("\n## Polling across expiries (default fresh-for, 5 s)\n\n")
            .append("Open model, the first page of the three instances, while their listings expire and are read ")
            .append("again: a request that comes after `fresh-for` waits for the read.\n\n")
            .append("| window | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|\n");
        for (Result polled : named("polled")) {
            md.append("| ").append(polled.name()).append(" | ").append(f0(polled.throughput())).append(" | ")
                .append(f2(polled.p50Ms())).append(" | ").append(f2(polled.p90Ms())).append(" | ")
                .append(f2(polled.p99Ms())).append(" | ").append(f1(polled.maxMs())).append(" | ")
                .append(polled.errors()).append(" |\n");
        }
    }

    private void bigListings(StringBuilder md) {
        md.append("\n## Big listings\n\n")
            .append("An instance nobody asked for yet, `GET /v1/rooms?limit=500&providers=<it>` every 500 ms until ")
            .append("an answer is `ok`. \"complete after\" is when the first `ok` answer arrived, counted from the ")
            .append("first request; \"first to last call\" is measured at the canned upstream.\n\n")
            .append("| instance | rooms | per call | calls | first to last call ms | calls/s | rooms/s | ")
            .append("max calls in a sliding second | refused (60007) | complete after ms |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (BigListing big : bigListings) {
            double callsPerSecond = roomsPerSecond(big) / big.pageSize();
            md.append("| ").append(big.instance()).append(" | ").append(big.rooms()).append(" | ")
                .append(big.pageSize()).append(" | ").append(big.calls()).append(" | ")
                .append(f0(big.firstToLastCallMs())).append(" | ").append(f2(callsPerSecond)).append(" | ")
                .append(f0(roomsPerSecond(big))).append(" | ").append(big.maxCallsInSlidingSecond())
                .append(" | ").append(big.refused()).append(" | ").append(f0(big.completeAfterMs())).append(" |\n");
        }
        for (BigListing big : bigListings) {
            md.append("\n").append(big.instance()).append(", every request:\n\n")
                .append("| sent at ms | took ms | HTTP | status | code | rooms read so far (pages) | rooms in page |\n")
                .append("|---|---|---|---|---|---|---|\n");
            for (Probe probe : big.probes()) {
                FleetPage.InstanceResult result = probe.result();
                md.append("| ").append(f0(probe.sentMs())).append(" | ").append(f0(probe.tookMs())).append(" | ")
                    .append(probe.httpStatus()).append(" | ").append(result == null ? "-" : result.status())
                    .append(" | ").append(result == null || result.code() == null ? "-" : result.code()).append(" | ")
                    .append(result == null || result.roomsSoFar() < 0 ? "-"
                            : result.roomsSoFar() + " (" + result.pagesSoFar() + ")")
                    .append(" | ").append(probe.roomsInPage()).append(" |\n");
            }
        }
    }

    private void everyWindow(StringBuilder md) {
        md.append("\n## Every measured window\n\n")
            .append("| window | model | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | body B |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result result : results) {
            md.append("| ").append(result.name()).append(" | ").append(result.model()).append(" | ")
                .append(f0(result.throughput())).append(" | ").append(f2(result.p50Ms())).append(" | ")
                .append(f2(result.p90Ms())).append(" | ").append(f2(result.p99Ms())).append(" | ")
                .append(f2(result.p999Ms())).append(" | ").append(f1(result.maxMs())).append(" | ")
                .append(result.errors()).append(" | ").append(result.meanBodyBytes()).append(" |\n");
        }
    }
}
