package dev.roomgate.k8s;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;

import dev.roomgate.RoomgateApplication;
import dev.roomgate.config.ApiKeys;
import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.Await;
import dev.roomgate.support.ProviderEmulators;

import static dev.roomgate.k8s.Manifests.at;
import static dev.roomgate.k8s.Manifests.labels;
import static dev.roomgate.k8s.Manifests.list;
import static dev.roomgate.k8s.Manifests.map;
import static dev.roomgate.k8s.Manifests.one;
import static dev.roomgate.k8s.Manifests.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Starts Roomgate in a JVM of its own exactly as an overlay's Deployment would: its working directory with the
 * rendered ConfigMap where the volume mount puts it, its env, envFrom and secretKeyRefs (the Secret templates' keys,
 * filled with the emulators' demo credentials), its JAVA_TOOL_OPTIONS, and then asks it what the kubelet,
 * Prometheus and a client ask. Additions, because this host is shared and offline: free ports instead of 8080/8081
 * (the probes and Service find them by name), the provider base URLs pointed at the emulators, and Redis pointed at
 * a closed local port (cluster mode must start and stay ready without Redis).
 * The classpath is the application's, from the test run's (without the test classes); k8s/test/image.test.mjs
 * starts the packaged jar's extracted layers instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DeploymentBoot {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    List<Map<String, Object>> objects;

    Map<String, Object> pod;

    Map<String, Object> container;

    ProviderEmulators emulators;

    Path work;

    Path log;

    Process app;

    int http;

    int management;

    /** The overlay under k8s/overlays whose Deployment this starts. */
    abstract String overlay();

    /** What each key of the Secret templates holds in this test: the emulators' demo credentials. */
    static Map<String, String> credentials() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ROOMGATE_DASHBOARD_KEY_SHA256", HexFormat.of().formatHex(ApiKeys.sha256(ProviderEmulators.API_KEY)));
        values.put("ROOMGATE_JWT_JWK_SET_URI", "");
        values.put("ROOMGATE_JWT_ISSUER", "");
        values.put("PLUGNMEET_MAIN_API_KEY", DemoRooms.PLUGNMEET_API_KEY);
        values.put("PLUGNMEET_MAIN_API_SECRET", DemoRooms.PLUGNMEET_API_SECRET);
        values.put("TENCENT_SG_SDK_APP_ID", Long.toString(DemoRooms.TENCENT_SDK_APP_ID));
        values.put("TENCENT_SG_SECRET_KEY", DemoRooms.TENCENT_SECRET_KEY);
        values.put("VIDEOSDK_MAIN_API_KEY", DemoRooms.VIDEOSDK_API_KEY);
        values.put("VIDEOSDK_MAIN_SECRET", DemoRooms.VIDEOSDK_SECRET);
        values.put("password", "boot-test-" + Long.toHexString(System.nanoTime()));
        return values;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Map<String, String> secretTemplate(String name) {
        return labels(Manifests.read(Manifests.K8S.resolve("secrets").resolve(name + ".yaml")).get(0), "stringData");
    }

    static String known(Map<String, String> known, String secret, String key) {
        if (!known.containsKey(key)) {
            fail("the Secret template " + secret + " has " + key + ", for which this test has no value");
        }
        return known.get(key);
    }

    @BeforeAll
    void startAsTheDeploymentDoes() throws Exception {
        objects = Manifests.render(overlay());
        Map<String, Object> deployment = one(objects, "Deployment", "roomgate");
        pod = map(deployment, "spec", "template", "spec");
        container = list(pod, "containers").get(0);
        emulators = ProviderEmulators.start();
        work = Files.createTempDirectory("roomgate-deployment-");
        log = work.resolve("roomgate.log");

        // The container's filesystem as far as Roomgate sees it: its working directory, and the mounts inside it.
        String workingDir = string(container, "workingDir");
        Path cwd = work.resolve("app");
        Files.createDirectories(cwd);
        for (Map<String, Object> mount : list(container, "volumeMounts")) {
            Map<String, Object> volume = list(pod, "volumes").stream()
                .filter(v -> mount.get("name").equals(v.get("name")))
                .findFirst()
                .orElseThrow();
            String path = string(mount, "mountPath");
            if (volume.containsKey("configMap")) {
                assertThat(path).startsWith(workingDir + "/");
                Path dir = Files.createDirectories(cwd.resolve(path.substring(workingDir.length() + 1)));
                Map<String, Object> configMap = one(objects, "ConfigMap", string(volume, "configMap", "name"));
                for (var file : labels(configMap, "data").entrySet()) {
                    Files.writeString(dir.resolve(file.getKey()), file.getValue());
                }
            }
            else {
                assertThat(volume).as("volume " + mount.get("name")).containsKey("emptyDir");
            }
        }

        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> known = credentials();
        for (Map<String, Object> from : list(container, "envFrom")) {
            if (from.containsKey("secretRef")) {
                String secret = string(from, "secretRef", "name");
                secretTemplate(secret).keySet().forEach(key -> env.put(key, known(known, secret, key)));
            }
            else {
                env.putAll(labels(one(objects, "ConfigMap", string(from, "configMapRef", "name")), "data"));
            }
        }
        for (Map<String, Object> variable : list(container, "env")) {
            if (variable.containsKey("value")) {
                env.put(string(variable, "name"), string(variable, "value"));
            }
            else {
                String secret = string(variable, "valueFrom", "secretKeyRef", "name");
                String key = string(variable, "valueFrom", "secretKeyRef", "key");
                assertThat(secretTemplate(secret)).as("template of Secret " + secret).containsKey(key);
                env.put(string(variable, "name"), known(known, secret, key));
            }
        }
        if (env.containsKey("SPRING_DATA_REDIS_HOST")) {
            env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
            env.put("SPRING_DATA_REDIS_PORT", Integer.toString(freePort()));
        }
        env.put("PLUGNMEET_MAIN_URL", emulators.plugNmeet.baseUrl());
        env.put("TENCENT_SG_URL", emulators.tencent.baseUrl());
        env.put("VIDEOSDK_MAIN_URL", emulators.videoSdk.baseUrl());
        http = freePort();
        management = freePort();
        env.put("SERVER_PORT", Integer.toString(http));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(management));

        String classpath = Arrays
            .stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator))
            .filter(entry -> !entry.endsWith("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, RoomgateApplication.class.getName())
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        app = builder.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (emulators != null) {
            emulators.close();
        }
        if (work != null) {
            FileSystemUtils.deleteRecursively(work);
        }
    }

    static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String output() throws IOException {
        String all = Files.readString(log);
        return all.substring(Math.max(0, all.length() - 4000));
    }

    /** Polls a probe's path as the kubelet would, within the probe's own budget (period x failure threshold). */
    void awaitProbe(String probe) throws Exception {
        int budget = (Integer) at(container, probe, "periodSeconds") * (Integer) at(container, probe, "failureThreshold");
        String path = string(container, probe, "httpGet", "path");
        try {
            // An IOException is "not listening yet"; an exited process ends the wait at once.
            Await.value(probe + " " + path + " passed", () -> {
                assertThat(app.isAlive()).as("Roomgate exited:\n%s", output()).isTrue();
                return get(management, path).statusCode();
            }, status -> status == 200, Duration.ofSeconds(budget));
        }
        catch (AssertionError notPassed) {
            fail(notPassed.getMessage() + " (the probe's budget is " + budget + " s):\n" + output(), notPassed);
        }
    }

    @Test
    @Order(1)
    void passesTheStartupThenLivenessAndReadinessProbes() throws Exception {
        awaitProbe("startupProbe");
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            HttpResponse<String> answer = get(management, string(container, probe, "httpGet", "path"));
            assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            assertThat(answer.body()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    @Order(2)
    void servesTheMetricsPathTheServiceMonitorScrapes() throws Exception {
        awaitProbe("readinessProbe");
        Map<String, Object> monitor = one(objects, "ServiceMonitor", "roomgate");
        HttpResponse<String> scrape = get(management, string(list(monitor, "spec", "endpoints").get(0), "path"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_max_bytes", "roomgate_");
    }

    @Test
    @Order(3)
    void answersARoomFromEveryConfiguredProvider() throws Exception {
        awaitProbe("readinessProbe");
        // A cold JVM on a busy machine can miss a provider's 2 s budget on its first calls (every provider at once
        // is a 502, one of them a 200 with "complete":false): ask until it does not.
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            Await.value("an answer complete from every provider", () -> {
                HttpResponse<String> answer = get(http, "/v1/rooms/" + DemoRooms.DEMO_STANDUP, "X-API-Key",
                        ProviderEmulators.API_KEY);
                last.set(answer);
                return answer;
            }, answer -> answer.statusCode() == 200 && answer.body().contains("\"complete\":true"),
                    Await.GENEROUSLY);
        }
        catch (AssertionError incomplete) {
            // The last answer, asserted below, says what was missing.
        }
        assertThat(last.get()).as("any answer at all").isNotNull();
        String body = last.get().body();
        String providers = body.substring(Math.max(0, body.indexOf("\"providers\":")));
        assertThat(last.get().statusCode()).as(providers).isEqualTo(200);
        assertThat(body).as(providers).contains("\"complete\":true");
        assertThat(providers).contains("\"provider\":\"plugnmeet-main\"", "\"provider\":\"tencent-sg\"",
                "\"provider\":\"videosdk-main\"");
        assertThat(get(http, "/v1/rooms/" + DemoRooms.DEMO_STANDUP).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void runsWithTheDeploymentsJvmFlagsAndLogsJson() throws Exception {
        awaitProbe("readinessProbe");
        String options = list(container, "env").stream()
            .filter(v -> "JAVA_TOOL_OPTIONS".equals(v.get("name")))
            .map(v -> string(v, "value"))
            .findFirst()
            .orElseThrow();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).contains("Picked up JAVA_TOOL_OPTIONS: " + options);
        assertThat(lines.stream().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")))
            .isNotEmpty()
            .allMatch(l -> l.startsWith("{") && l.endsWith("}"), "a JSON object per line");
    }

    @Test
    @Order(5)
    void stopsOnSigtermWithinTheGracePeriodLessThePreStopWait() throws Exception {
        awaitProbe("readinessProbe");
        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        int preStop = Integer.parseInt(((List<?>) at(container, "lifecycle", "preStop", "exec", "command")).get(1)
            .toString());
        app.destroy(); // SIGTERM, as the kubelet sends after the preStop hook
        assertThat(app.waitFor(grace - preStop, TimeUnit.SECONDS)).as("exited in %d s", grace - preStop).isTrue();
        assertThat(Files.readString(log)).contains("Graceful shutdown complete");
    }
}
