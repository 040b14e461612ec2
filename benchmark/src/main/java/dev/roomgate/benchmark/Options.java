package dev.roomgate.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmark's settings: {@code --name=value} arguments over these defaults (all written into the report). */
record Options(Path root, Path output, String java, String jvmFlags, Duration warmup, Duration measure, int users, int hotUsers, int uncachedUsers, int rounds,
        int maxConnections, double lowRate, int herdRounds, int herdSize, int startups, boolean aot,
        CannedUpstreams.Delays delays, String roomgateExtraFlags, Map<String, String> given) {

    static Options parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Path root = Path.of(given.getOrDefault("root", ".")).toAbsolutePath().normalize();
        return new Options(root, root.resolve(given.getOrDefault("output", "benchmark/report")),
                given.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                given.containsKey("jvm-flags") ? given.get("jvm-flags") : DeploymentJvm.flags(root),
                seconds(given.getOrDefault("warmup", "10")), seconds(given.getOrDefault("measure", "10")),
                Integer.parseInt(given.getOrDefault("users", "256")),
                Integer.parseInt(given.getOrDefault("hot-users", "64")),
                Integer.parseInt(given.getOrDefault("uncached-users", "64")),
                Integer.parseInt(given.getOrDefault("rounds", "3")),
                Integer.parseInt(given.getOrDefault("max-connections", "1024")),
                Double.parseDouble(given.getOrDefault("low-rate", "20")),
                Integer.parseInt(given.getOrDefault("herd-rounds", "10")),
                Integer.parseInt(given.getOrDefault("herd-size", "200")),
                Integer.parseInt(given.getOrDefault("startups", "3")),
                Boolean.parseBoolean(given.getOrDefault("aot", "true")),
                new CannedUpstreams.Delays(millis(given.getOrDefault("delay-plugnmeet", "50")),
                        millis(given.getOrDefault("delay-tencent", "20")),
                        millis(given.getOrDefault("delay-videosdk", "25")),
                        millis(given.getOrDefault("delay-echo", "20"))),
                given.getOrDefault("roomgate-extra-flags", ""), given);
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value.replace("s", "")) * 1000));
    }

    private static Duration millis(String value) {
        return Duration.ofMillis(Long.parseLong(value.replace("ms", "")));
    }
}
