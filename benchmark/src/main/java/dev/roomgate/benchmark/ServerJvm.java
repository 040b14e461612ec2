package dev.roomgate.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in a JVM of its own: started, timed until it answers its readiness URL, sampled for resident
 * memory, and stopped by its PID (SIGTERM, then SIGKILL after a grace period).
 */
final class ServerJvm implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    private final String name;

    private final Process process;

    private final double startupSeconds;

    private volatile long peakRssKb;

    private ServerJvm(String name, Process process, double startupSeconds) {
        this.name = name;
        this.process = process;
        this.startupSeconds = startupSeconds;
    }

    /**
     * Starts {@code command} and waits until {@code readyUrl} answers 200 (with {@code headers}).
     *
     * @return the started JVM; start-up time is from just before the process was spawned to the first 200
     */
    static ServerJvm start(String name, List<String> command, Path workDir, Path log, String readyUrl,
            Map<String, String> headers, Duration limit) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // As a container image for a 2-core box would set it: glibc's default of 8 malloc arenas per core holds
        // memory the JVM's own native allocations (threads, Netty, the JIT) fragment across.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        long spawned = System.nanoTime();
        Process process = builder.start();
        HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(2));
        headers.forEach(probe::header);
        long deadline = spawned + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up; see "
                        + log);
            }
            try {
                if (PROBE.send(probe.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    double seconds = (System.nanoTime() - spawned) / 1e9;
                    return new ServerJvm(name, process, seconds);
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not ready within " + limit + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    double startupSeconds() {
        return startupSeconds;
    }

    /** VmRSS now, in KiB; also kept as the peak seen by {@link #sample()}. */
    long sample() {
        long rss = status("VmRSS:");
        peakRssKb = Math.max(peakRssKb, rss);
        return rss;
    }

    long peakSampledRssKb() {
        return peakRssKb;
    }

    /**
     * Resident memory now by kind, in KiB: anonymous (heap, metaspace, stacks, native) and file-backed (the jar,
     * the AOT cache, shared libraries: page cache the kernel can drop and reread).
     */
    long[] residentByKind() {
        return new long[] { status("RssAnon:"), status("RssFile:") };
    }

    /** The kernel's high-water mark of resident memory since the process started, in KiB. */
    long highWaterRssKb() {
        return status("VmHWM:");
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        }
        catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }

    /** Cumulative CPU time (user + system) of the process, in seconds. */
    double cpuSeconds() {
        return cpuSecondsOf(process.pid());
    }

    /** CPU time (user and system) a process has used, in seconds; 0 once it is gone. */
    static double cpuSecondsOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / 100.0;
        }
        catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    String name() {
        return name;
    }

    /** SIGTERM (a graceful shutdown), SIGKILL if it has not exited after 30 s. */
    @Override
    public void close() {
        stop(process);
    }

    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command to its end (used for jar extraction and AOT training), failing on a non-zero exit. */
    static void run(List<String> command, Path workDir, Path log, Duration limit)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", command)
                    + "; see " + log);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
