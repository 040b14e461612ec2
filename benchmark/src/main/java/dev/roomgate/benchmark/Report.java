package dev.roomgate.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.roomgate.benchmark.LoadGenerator.Result;

/** Writes results.md (figures, ratios, targets, machine, method) and chart.svg from one run's measurements. */
final class Report {

    private final Options options;

    private final Map<String, Object> facts;

    private final List<Result> results;

    Report(Options options, Map<String, Object> facts, List<Result> results) {
        this.options = options;
        this.facts = facts;
        this.results = results;
    }

    private Result result(String key) {
        return (Result) facts.get(key);
    }

    private double number(String key) {
        Object value = facts.get(key);
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private double median(String key) {
        List<Double> values = (List<Double>) facts.get(key);
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("chart.svg"), chart());
        Files.writeString(dir.resolve("results.md"), markdown());
    }

    private String markdown() {
        Result pt = result("passThrough.max");
        Result hot = result("hot.max");
        Result uncached = result("uncached.max");
        Result ptHalf = result("passThrough.half");
        Result hotHalf = result("hot.half");
        Result uncachedHalf = result("uncached.half");
        Result fanOut = result("fanOut");
        double echoMs = options.delays().echo().toMillis();
        double slowest = number("fanOut.slowestProviderMs");
        double rssMiB = Math.max(number("roomgate.rss.highWaterKb"), number("roomgate.rss.peakSampledKb")) / 1024;
        double ptRssMiB = Math.max(number("passThrough.rss.highWaterKb"), number("passThrough.rss.peakSampledKb"))
                / 1024;
        double startPlain = median("startup.roomgate");
        double startAot = median("startup.roomgate+aot");
        double startPt = median("startup.pass-through");
        double bestStart = Double.isNaN(startAot) ? startPlain : startAot;
        double herdCalls = number("herd.upstreamCalls");
        double herdRounds = number("herd.rounds");
        double herdSize = number("herd.size");

        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results (generated)\n\n");
        md.append("Written by `dev.roomgate.benchmark.Benchmark` on ").append(facts.get("date"))
            .append(". Every figure below comes from this one run; ratios are to the plain Spring Cloud Gateway ")
            .append("pass-through measured in the same run. Method and analysis: [README.md](README.md).\n\n");
        md.append("![throughput and latency](chart.svg)\n\n");

        md.append("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        target(md, "hot-path throughput >= 3 x pass-through", median("ratio.hot.rounds"), ">=", 3,
                "median of the rounds' ratios " + facts.get("ratio.hot.rounds") + "; median rounds " + f0(hot.throughput()) + " vs " + f0(pt.throughput()) + " req/s");
        target(md, "hot-path p99 added latency <= 2 ms at half max throughput", hotHalf.p99Ms(), "<=", 2,
                "at " + f0(hotHalf.throughput()) + " req/s; ms");
        target(md, "uncached aggregate throughput >= 0.4 x pass-through", median("ratio.uncached.rounds"), ">=",
                0.4, "median of the rounds' ratios " + facts.get("ratio.uncached.rounds") + "; median rounds "
                        + f0(uncached.throughput()) + " vs " + f0(pt.throughput()) + " req/s");
        double hotCpu = cpuPerRequest("hot max", hot);
        double uncachedCpu = cpuPerRequest("uncached max", uncached);
        double ptCpu = cpuPerRequest("pass-through max", pt);
        target(md, "hot-path CPU per request <= 0.33 x pass-through's", hotCpu / ptCpu, "<=", 0.33,
                f3(hotCpu) + " ms vs " + f3(ptCpu) + " ms, at max throughput, median of the rounds");
        target(md, "uncached CPU per answer <= 2.5 x pass-through's per request", uncachedCpu / ptCpu, "<=", 2.5,
                f3(uncachedCpu) + " ms vs " + f3(ptCpu) + " ms, at max throughput, median of the rounds");
        double allocated = median("allocatedKbPerAnswer.uncached max");
        double ptAllocated = median("allocatedKbPerAnswer.pass-through max");
        target(md, "allocated per uncached answer <= 64 KB", allocated, "<=", 64,
                "KiB, jvm_gc_memory_allocated_bytes_total over the rounds / answers, median of the rounds; "
                + "the pass-through allocates " + f1(ptAllocated) + " KiB per request (one upstream call)");
        long halfErrors = ptHalf.errors() + hotHalf.errors() + uncachedHalf.errors();
        target(md, "errors at half max throughput = 0", halfErrors, "<=", 0, "pass-through " + ptHalf.errors()
                + ", hot " + hotHalf.errors() + ", uncached " + uncachedHalf.errors());
        target(md, "fan-out ratio (p50 aggregate / slowest provider) <= 1.10", fanOut.p50Ms() / slowest, "<=", 1.10,
                f2(fanOut.p50Ms()) + " ms / " + f0(slowest) + " ms");
        target(md, "resident memory under load <= 256 MiB", rssMiB, "<=", 256, "MiB, peak of VmHWM and sampled "
                + "VmRSS");
        target(md, "start-up to ready <= 3 s (JDK 25)", bestStart, "<=", 3, Double.isNaN(startAot)
                ? "s, no AOT cache" : "s, median with AOT cache; " + f2(startPlain) + " s without");
        md.append('\n');

        md.append("## Every figure, and its ratio to the pass-through\n\n");
        md.append("| figure | Roomgate | pass-through | ratio |\n|---|---|---|---|\n");
        row(md, "max throughput, hot path (cached room), req/s", hot.throughput(), pt.throughput());
        row(md, "max throughput, uncached aggregate (3 providers, 5 calls), req/s", uncached.throughput(),
                pt.throughput());
        row(md, "hot path at half max: p50 added latency, ms", hotHalf.p50Ms(), ptHalf.p50Ms() - echoMs);
        row(md, "hot path at half max: p99 added latency, ms", hotHalf.p99Ms(), ptHalf.p99Ms() - echoMs);
        row(md, "hot path at half max: p99.9 added latency, ms", hotHalf.p999Ms(), ptHalf.p999Ms() - echoMs);
        String saturated = " at saturation (closed model, " + options.hotUsers() + " users; pass-through "
                + options.users() + ", its latency including its upstream's " + f0(echoMs) + " ms)";
        row(md, "hot path" + saturated + ": p50 latency, ms", hot.p50Ms(), pt.p50Ms());
        row(md, "hot path" + saturated + ": p99 latency, ms", hot.p99Ms(), pt.p99Ms());
        row(md, "uncached at half max: p50 added latency over the slowest provider, ms",
                uncachedHalf.p50Ms() - slowest, ptHalf.p50Ms() - echoMs);
        row(md, "uncached at half max: p99 added latency over the slowest provider, ms",
                uncachedHalf.p99Ms() - slowest, ptHalf.p99Ms() - echoMs);
        row(md, "uncached at saturation (closed model, " + options.uncachedUsers() + " users): p99 latency, ms",
                uncached.p99Ms(), pt.p99Ms());
        row(md, "allocated per answer at max throughput (hot), KiB", median("allocatedKbPerAnswer.hot max"),
                ptAllocated);
        row(md, "allocated per answer at max throughput (uncached), KiB", allocated, ptAllocated);
        row(md, "uncached at low load: p50 added latency over the slowest provider, ms", fanOut.p50Ms() - slowest,
                ptHalf.p50Ms() - echoMs);
        row(md, "resident memory (peak), MiB", rssMiB, ptRssMiB);
        row(md, "resident after the load: anonymous (heap, metaspace, stacks, native), MiB",
                number("roomgate.rss.endAnonKb") / 1024, number("passThrough.rss.endAnonKb") / 1024);
        row(md, "resident after the load: file-backed (jar, AOT cache, libraries; page cache), MiB",
                number("roomgate.rss.endFileKb") / 1024, number("passThrough.rss.endFileKb") / 1024);
        row(md, "start-up to ready, median, s" + (Double.isNaN(startAot) ? "" : " (with AOT cache)"), bestStart,
                startPt);
        row(md, "server CPU per request at max throughput (hot), ms", cpuPerRequest("hot max", hot),
                cpuPerRequest("pass-through max", pt));
        row(md, "server CPU per request at max throughput (uncached), ms", cpuPerRequest("uncached max", uncached),
                cpuPerRequest("pass-through max", pt));
        md.append("\n(Max throughput: the median of ").append(options.rounds()).append(" interleaved rounds; its ratio is ")
            .append("the median of the per-round ratios. Added latency: the pass-through's latency minus its upstream's set ")
            .append(f0(echoMs)).append(" ms; a cache hit has no upstream, so all of its latency is added. CPU per ")
            .append("request is the server process's CPU time over a round divided by the answers in that time, ")
            .append("estimated from the measured rate; median of the rounds.)\n\n");

        md.append("## Load runs\n\n| run | load | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors "
                + "| body B |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append("| ").append(r.name()).append(" | ").append(r.model()).append(" | ").append(f0(r.throughput()))
                .append(" | ").append(f2(r.p50Ms())).append(" | ").append(f2(r.p90Ms())).append(" | ")
                .append(f2(r.p99Ms())).append(" | ").append(f2(r.p999Ms())).append(" | ").append(f2(r.maxMs()))
                .append(" | ").append(r.errors()).append(" | ").append(r.meanBodyBytes()).append(" |\n");
        }
        md.append('\n');

        md.append("## roomgate.overhead (from /actuator/prometheus)\n\n");
        overhead(md, "uncached, low load", castMap(facts.get("overhead.lowLoad")));
        overhead(md, "since start, after the saturating runs", castMap(facts.get("overhead.saturated")));
        md.append('\n');

        md.append("## Amplification under a herd\n\n");
        md.append(String.format(Locale.ROOT, "%.0f rounds of %.0f identical concurrent requests, each round for a room"
                + " nobody had asked for: %.0f answered 200, %.0f upstream calls in all, %.2f upstream calls per "
                + "round where one lookup needs %s (%.2fx a single lookup), %.4f upstream calls per client request."
                + "%n%n", herdRounds, herdSize, number("herd.answered"), herdCalls, herdCalls / herdRounds,
                facts.get("herd.callsPerLookup"), herdCalls / herdRounds / number("herd.callsPerLookup"),
                herdCalls / (herdRounds * herdSize)));

        md.append("## Start-up to ready (each start, seconds)\n\n");
        md.append("- Roomgate: ").append(facts.get("startup.roomgate")).append('\n');
        if (facts.containsKey("startup.roomgate+aot")) {
            md.append("- Roomgate with the JDK 25 AOT cache (").append(f0(number("aot.cacheBytes") / 1048576))
                .append(" MiB, trained in ").append(f2(number("aot.trainingSeconds"))).append(" s): ")
                .append(facts.get("startup.roomgate+aot")).append('\n');
        }
        md.append("- pass-through: ").append(facts.get("startup.pass-through")).append("\n\n");

        md.append("## Machine and settings\n\n");
        md.append("- nproc: ").append(facts.get("nproc")).append(" (online CPUs ").append(facts.get("cpus.online"))
            .append("), CPU: ").append(facts.get("cpu")).append(", ").append(facts.get("memTotal")).append('\n');
        md.append("- load average at start: ").append(facts.get("loadavg.atStart"))
            .append(" (the machine is shared with other engineers' builds)\n");
        md.append("- cores: ").append(facts.get("cpus")).append('\n');
        md.append("- servers' JDK: ").append(String.join(" / ", castList(facts.get("jdk")))).append('\n');
        md.append("- servers' JVM flags (both): `").append(facts.get("jvmFlags")).append("`\n");
        md.append("- driver (load generator + canned upstreams) JVM: ").append(facts.get("driverJvm")).append('\n');
        md.append("- upstream delays: plugNmeet ").append(options.delays().plugNmeet().toMillis())
            .append(" ms, Tencent ").append(options.delays().tencent().toMillis()).append(" ms per call (2 calls), ")
            .append("VideoSDK ").append(options.delays().videoSdk().toMillis()).append(" ms per call (2 calls), ")
            .append("pass-through upstream ").append(options.delays().echo().toMillis()).append(" ms\n");
        md.append("- JIT warm-up before the first round: ").append(facts.get("jitWarmup"))
            .append(" of closed load on each path (`--jit-warmup`)\n");
        md.append("- warm-up ").append(options.warmup().toMillis() / 1000.0).append(" s and measurement ")
            .append(options.measure().toMillis() / 1000.0).append(" s per run; closed runs with ")
            .append(options.users()).append(" users (pass-through), ").append(options.hotUsers())
            .append(" (hot path), ").append(options.uncachedUsers()).append(" (uncached); arguments given: ").append(options.given()).append('\n');
        return md.toString();
    }

    private double cpuPerRequest(String label, Result result) {
        return median("cpuPerRequestMs." + label);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> castMap(Object value) {
        return value == null ? Map.of() : (Map<String, Double>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    private static void overhead(StringBuilder md, String label, Map<String, Double> values) {
        double count = values.getOrDefault("roomgate_overhead_seconds_count", 0.0);
        double sum = values.getOrDefault("roomgate_overhead_seconds_sum", 0.0);
        md.append("- ").append(label).append(": ").append(f0(count)).append(" answers, mean ")
            .append(f2(count == 0 ? 0 : sum / count * 1000)).append(" ms");
        for (Map.Entry<String, Double> bucket : values.entrySet()) {
            String name = bucket.getKey();
            if (name.contains("_bucket{") && count > 0 && !name.contains("+Inf")) {
                String le = name.substring(name.indexOf("le=\"") + 4, name.lastIndexOf('"'));
                md.append(", ").append(f1(bucket.getValue() / count * 100)).append(" % <= ")
                    .append(f0(Double.parseDouble(le) * 1000)).append(" ms");
            }
        }
        md.append('\n');
    }

    private static void target(StringBuilder md, String target, double value, String op, double limit,
            String detail) {
        boolean met = op.equals(">=") ? value >= limit : value <= limit;
        String shortBy = met ? "met" : String.format(Locale.ROOT, "missed by %.0f %%",
                Math.abs(value - limit) / limit * 100);
        md.append("| ").append(target).append(" | ").append(f2(value)).append(" (").append(detail).append(") | ")
            .append(shortBy).append(" |\n");
    }

    private static void row(StringBuilder md, String figure, double roomgate, double passThrough) {
        md.append("| ").append(figure).append(" | ").append(f2(roomgate)).append(" | ").append(f2(passThrough))
            .append(" | ").append(f2(ratio(roomgate, passThrough))).append(" |\n");
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    // ---------------------------------------------------------------- chart

    /** Two panels: max throughput (with the targets as ticks) and latency at half max throughput. */
    private String chart() {
        Result pt = result("passThrough.max");
        Result hot = result("hot.max");
        Result uncached = result("uncached.max");
        Result ptHalf = result("passThrough.half");
        Result hotHalf = result("hot.half");
        double echoMs = options.delays().echo().toMillis();
        int width = 860;
        int height = 380;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
            .append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");

        // Panel 1: throughput.
        svg.append(text(20, 24, "Max throughput (req/s), ratio to the pass-through; tick = target", 14, "bold"));
        String[] names = { "pass-through", "hot path", "uncached" };
        double[] values = { pt.throughput(), hot.throughput(), uncached.throughput() };
        double[] targets = { 1, 3, 0.4 };
        String[] colors = { "#999999", "#2b7bb9", "#e08a1e" };
        double max = Math.max(values[1], Math.max(values[0] * 3, Math.max(values[0], values[2]))) * 1.1;
        int x0 = 110;
        int barMax = 300;
        for (int i = 0; i < 3; i++) {
            int y = 50 + i * 60;
            int w = (int) (values[i] / max * barMax);
            svg.append(text(20, y + 22, names[i], 12, "normal"));
            svg.append("<rect x=\"").append(x0).append("\" y=\"").append(y).append("\" width=\"").append(w)
                .append("\" height=\"34\" fill=\"").append(colors[i]).append("\"/>\n");
            svg.append(text(x0 + w + 6, y + 22, f0(values[i]) + " (" + f2(values[i] / values[0]) + "x)", 12,
                    "normal"));
            if (i > 0) {
                int tx = x0 + (int) (values[0] * targets[i] / max * barMax);
                svg.append("<line x1=\"").append(tx).append("\" y1=\"").append(y - 4).append("\" x2=\"").append(tx)
                    .append("\" y2=\"").append(y + 38).append("\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n");
            }
        }

        // Panel 2: latency at half max, added latency.
        int px = 480;
        svg.append(text(px, 24, "Added latency at half max throughput (ms)", 14, "bold"));
        String[] pct = { "p50", "p99", "p99.9" };
        double[] ptValues = { ptHalf.p50Ms() - echoMs, ptHalf.p99Ms() - echoMs, ptHalf.p999Ms() - echoMs };
        double[] hotValues = { hotHalf.p50Ms(), hotHalf.p99Ms(), hotHalf.p999Ms() };
        double lmax = 0;
        for (int i = 0; i < 3; i++) {
            lmax = Math.max(lmax, Math.max(ptValues[i], hotValues[i]));
        }
        lmax = Math.max(lmax, 2) * 1.15;
        int base = 300;
        int chartH = 230;
        for (int i = 0; i < 3; i++) {
            int gx = px + 20 + i * 120;
            bar(svg, gx, base, chartH, Math.max(0, ptValues[i]), lmax, "#999999");
            bar(svg, gx + 42, base, chartH, hotValues[i], lmax, "#2b7bb9");
            svg.append(text(gx + 25, base + 18, pct[i], 12, "normal"));
        }
        int ty = base - (int) (2 / lmax * chartH);
        svg.append("<line x1=\"").append(px + 10).append("\" y1=\"").append(ty).append("\" x2=\"").append(px + 370)
            .append("\" y2=\"").append(ty).append("\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>\n");
        svg.append(text(px + 300, ty - 4, "2 ms target (p99)", 10, "normal"));
        svg.append("<rect x=\"").append(px + 20).append("\" y=\"").append(base + 32)
            .append("\" width=\"12\" height=\"12\" fill=\"#999999\"/>\n");
        svg.append(text(px + 36, base + 42, "pass-through (minus its upstream's " + f0(echoMs) + " ms)", 11,
                "normal"));
        svg.append("<rect x=\"").append(px + 20).append("\" y=\"").append(base + 50)
            .append("\" width=\"12\" height=\"12\" fill=\"#2b7bb9\"/>\n");
        svg.append(text(px + 36, base + 60, "Roomgate hot path (cache hit)", 11, "normal"));
        svg.append(text(20, height - 12, "Generated by the Roomgate benchmark, " + facts.get("date") + ", "
                + facts.get("nproc") + " cores (" + facts.get("cpu") + ")", 10, "normal"));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int x, int base, int chartH, double value, double max, String color) {
        int h = (int) (value / max * chartH);
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(base - h).append("\" width=\"38\" height=\"")
            .append(h).append("\" fill=\"").append(color).append("\"/>\n");
        svg.append(text(x + 2, base - h - 4, f2(value), 10, "normal"));
    }

    private static String text(int x, int y, String content, int size, String weight) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\" font-weight=\"" + weight + "\">"
                + content.replace("&", "&amp;").replace("<", "&lt;") + "</text>\n";
    }
}
