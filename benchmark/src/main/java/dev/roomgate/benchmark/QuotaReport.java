package dev.roomgate.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.roomgate.benchmark.QuotaBenchmark.Client;
import dev.roomgate.benchmark.QuotaBenchmark.ClientFigures;
import dev.roomgate.benchmark.QuotaBenchmark.Outcome;

import static dev.roomgate.benchmark.Report.f0;
import static dev.roomgate.benchmark.Report.f1;
import static dev.roomgate.benchmark.Report.f2;
import static dev.roomgate.benchmark.Report.f3;

/** benchmark/report/quota.md: the targets of the quota economy checked against one run, then every figure. */
final class QuotaReport {

    private final Map<String, Object> facts;

    private final List<Outcome> outcomes;

    private final Duration warmup;

    private final Duration measure;

    QuotaReport(Map<String, Object> facts, List<Outcome> outcomes, Duration warmup, Duration measure) {
        this.facts = facts;
        this.outcomes = outcomes;
        this.warmup = warmup;
        this.measure = measure;
    }

    void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Quota economy under contention\n\n");
        md.append("Written by `QuotaBenchmark` (`-Dbenchmark.args=--suite=quota`, see README.md). One Tencent ")
            .append("instance sold ").append(QuotaBenchmark.QUOTA).append(" calls/s; a room costs ")
            .append(QuotaBenchmark.CALLS_PER_ROOM).append(" calls (room info, one member page, 20 ms each at the ")
            .append("canned upstream), so the quota pays for ").append(QuotaBenchmark.QUOTA / QuotaBenchmark.CALLS_PER_ROOM)
            .append(" rooms/s. Every request asks for a room nobody asked for before (no cache reuse). Open model: ")
            .append("requests start on schedule whatever Roomgate does, latency counts from when a request was due. ")
            .append("Each scenario: ").append(warmup.toSeconds()).append(" s of load first, then ")
            .append(measure.toSeconds()).append(" s measured; on two replicas each client's load is split evenly ")
            .append("between them (its latencies are the worse replica's). Arrivals are counted at the canned ")
            .append("upstream as they arrive, over the whole scenario (warm-up included).\n\n");
        facts.forEach((name, value) -> md.append("- ").append(name).append(": `").append(value).append("`\n"));
        md.append("\n## Targets\n\n| target | setup | measured | met |\n|---|---|---|---|\n");
        for (Outcome outcome : outcomes) {
            targets(md, outcome);
        }
        md.append("\n## Every scenario\n\n")
            .append("| setup | scenario | client | offered/s | complete | not | complete % | p50 ms | p95 ms | ")
            .append("p99 ms | max ms | goodput | max arrivals/s | lookups admitted / abandoned / refused | Roomgate cpu |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Outcome outcome : outcomes) {
            for (ClientFigures client : outcome.clients()) {
                md.append("| ").append(outcome.setup()).append(" | ").append(outcome.scenario()).append(" | ")
                    .append(client.load().client().label()).append(" (share ").append(client.load().client().share)
                    .append(", ").append(client.load().client().priority).append(") | ")
                    .append(f0(client.load().perSecond())).append(" | ").append(client.ok()).append(" | ")
                    .append(client.errors()).append(" | ").append(f1(100 * client.completeShare())).append(" | ")
                    .append(f1(client.p50Ms())).append(" | ").append(f1(client.p95Ms())).append(" | ")
                    .append(f1(client.p99Ms())).append(" | ").append(f1(client.maxMs())).append(" | ")
                    .append(f3(outcome.goodput())).append(" | ").append(outcome.maxArrivals()).append(" | ")
                    .append(f0(outcome.lookups().getOrDefault("admitted", 0.0))).append(" / ")
                    .append(f0(outcome.lookups().getOrDefault("abandoned", 0.0))).append(" / ")
                    .append(f0(outcome.lookups().getOrDefault("refused", 0.0))).append(" | ")
                    .append(f2(outcome.serverCpu())).append(" |\n");
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, md);
    }

    private static void targets(StringBuilder md, Outcome outcome) {
        boolean cluster = outcome.setup().startsWith("two");
        switch (outcome.scenario()) {
            case "goodput" -> target(md, outcome, "goodput >= " + (cluster ? "0.85" : "0.90"),
                    f3(outcome.goodput()), outcome.goodput() >= (cluster ? 0.85 : 0.90));
            case "fair share" -> {
                ClientFigures modest = outcome.of(Client.MODEST);
                target(md, outcome, "modest client (30/s beside a greedy one) >= 98 % complete, p95 < 1 s",
                        f1(100 * modest.completeShare()) + " %, p95 " + f0(modest.p95Ms()) + " ms",
                        modest.completeShare() >= 0.98 && modest.p95Ms() < 1000);
            }
            case "weighted shares 3:1" -> {
                double big = outcome.of(Client.BIG).ok();
                double share = big / (big + outcome.of(Client.SMALL).ok());
                target(md, outcome, "share 3 gets 0.65-0.85 of the answers", f3(share), share >= 0.65 && share <= 0.85);
            }
            case "priority" -> {
                ClientFigures modest = outcome.of(Client.MODEST);
                target(md, outcome, "interactive client (60/s beside background " + (int) outcome.of(Client.NIGHTLY).load().perSecond()
                        + "/s) >= 98 % complete",
                        f1(100 * modest.completeShare()) + " %", modest.completeShare() >= 0.98);
            }
            case "client deadline" -> {
                ClientFigures deadline = outcome.of(Client.DEADLINE);
                double bound = QuotaBenchmark.CLIENT_DEADLINE_MS + 100;
                target(md, outcome, "X-Request-Timeout: " + QuotaBenchmark.CLIENT_DEADLINE_MS + " answered within "
                        + (int) bound + " ms, its deadline + 100 (slowest answer)", f0(deadline.maxMs()) + " ms (p99 "
                        + f0(deadline.p99Ms()) + ")", deadline.maxMs() <= bound);
            }
            default -> {
            }
        }
        target(md, outcome, outcome.scenario() + ": >= 95 % of started lookups complete",
                f1(100 * outcome.startedCompleted()) + " %", outcome.startedCompleted() >= 0.95);
        target(md, outcome, outcome.scenario() + ": <= " + QuotaBenchmark.QUOTA
                + " arrivals in any sliding second", Integer.toString(outcome.maxArrivals()),
                outcome.maxArrivals() <= QuotaBenchmark.QUOTA);
    }

    private static void target(StringBuilder md, Outcome outcome, String what, String measured, boolean met) {
        md.append("| ").append(what).append(" | ").append(outcome.setup()).append(" | ").append(measured)
            .append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }
}
