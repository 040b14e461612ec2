package dev.roomgate.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.convert.DurationStyle;

import dev.roomgate.emulator.DemoRooms;

import static dev.roomgate.k8s.Manifests.at;
import static dev.roomgate.k8s.Manifests.bytes;
import static dev.roomgate.k8s.Manifests.labels;
import static dev.roomgate.k8s.Manifests.list;
import static dev.roomgate.k8s.Manifests.map;
import static dev.roomgate.k8s.Manifests.ofKind;
import static dev.roomgate.k8s.Manifests.one;
import static dev.roomgate.k8s.Manifests.podTemplates;
import static dev.roomgate.k8s.Manifests.selects;
import static dev.roomgate.k8s.Manifests.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold between the rendered manifests of each overlay and the application they deploy. Each test names
 * the mistake it catches: a probe on a path or port the application does not serve, a ConfigMap key the
 * application never reads, a Service or ServiceMonitor that selects nothing, a PDB that blocks every drain, a
 * shutdown budget that ends in SIGKILL, a secret in a ConfigMap.
 */
class ManifestInvariantsTests {

    static Stream<String> overlays() {
        return Manifests.OVERLAYS.stream();
    }

    static Map<String, Object> deployment(List<Map<String, Object>> objects) {
        return one(objects, "Deployment", "roomgate");
    }

    static Map<String, Object> container(List<Map<String, Object>> objects) {
        List<Map<String, Object>> containers = list(deployment(objects), "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Integer number) {
            return number;
        }
        return list(container, "ports").stream()
            .filter(p -> port.equals(p.get("name")))
            .map(p -> (Integer) p.get("containerPort"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container port named " + port));
    }

    /** The number of pods the overlay runs: the HPA's floor when it scales, else the Deployment's count. */
    static int replicas(List<Map<String, Object>> objects) {
        List<Map<String, Object>> hpas = ofKind(objects, "HorizontalPodAutoscaler");
        if (!hpas.isEmpty()) {
            assertThat(at(deployment(objects), "spec", "replicas")).as("the HPA owns the replica count").isNull();
            return (Integer) at(hpas.get(0), "spec", "minReplicas");
        }
        return (Integer) at(deployment(objects), "spec", "replicas");
    }

    static Map<String, String> env(Map<String, Object> container, List<Map<String, Object>> objects) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> from : list(container, "envFrom")) {
            if (from.containsKey("configMapRef")) {
                labels(one(objects, "ConfigMap", string(from, "configMapRef", "name")), "data").forEach(env::put);
            }
        }
        for (Map<String, Object> variable : list(container, "env")) {
            env.put((String) variable.get("name"), variable.containsKey("value") ? string(variable, "value")
                    : "<from " + string(variable, "valueFrom", "secretKeyRef", "name") + ">");
        }
        return env;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesUseTheManagementPortAndTheHealthGroupsTheApplicationServes(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, String> config = Manifests.applicationConfiguration();
        Map<String, Object> container = container(objects);
        int management = Integer.parseInt(config.get("management.server.port"));
        assertThat(config.get("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(config.get("management.endpoints.web.exposure.include")).contains("health");
        assertThat(containerPort(container, "http")).isEqualTo(Integer.parseInt(config.get("server.port")));
        assertThat(management).isNotEqualTo(Integer.parseInt(config.get("server.port")));
        Map<String, String> expected = Map.of("startupProbe", "/actuator/health/liveness", "livenessProbe",
                "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
        expected.forEach((probe, path) -> {
            assertThat(string(container, probe, "httpGet", "path")).as(probe).isEqualTo(path);
            assertThat(containerPort(container, at(container, probe, "httpGet", "port"))).as(probe)
                .isEqualTo(management);
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theMountedConfigMapHoldsExactlyTheFilesTheApplicationReadsFromConfig(String overlay) throws IOException {
        var objects = Manifests.render(overlay);
        Map<String, Object> container = container(objects);
        Map<String, Object> pod = map(deployment(objects), "spec", "template", "spec");
        List<Map<String, Object>> configMounts = new ArrayList<>();
        for (Map<String, Object> mount : list(container, "volumeMounts")) {
            Map<String, Object> volume = list(pod, "volumes").stream()
                .filter(v -> mount.get("name").equals(v.get("name")))
                .findFirst()
                .orElseThrow();
            if (volume.containsKey("configMap")) {
                configMounts.add(Map.of("mount", mount, "configMap",
                        one(objects, "ConfigMap", string(volume, "configMap", "name"))));
            }
        }
        assertThat(configMounts).hasSize(1);
        Map<String, Object> mount = map(configMounts.get(0), "mount");
        // Spring Boot reads ./config/ of the working directory.
        assertThat(string(mount, "mountPath")).isEqualTo(string(container, "workingDir") + "/config");
        assertThat(at(mount, "subPath")).as("a subPath mount would not see a new ConfigMap").isNull();
        Map<String, String> data = labels(configMounts.get(0), "configMap", "data");
        Set<String> shipped = new TreeSet<>();
        try (var files = Files.list(Manifests.REPO.resolve("config"))) {
            files.map(f -> f.getFileName().toString())
                .filter(f -> f.matches("application(-[a-z0-9-]+)?\\.(yml|yaml|properties)"))
                .forEach(shipped::add);
        }
        assertThat(data.keySet()).as("ConfigMap keys = the application files in config/")
            .containsExactlyInAnyOrderElementsOf(shipped);
        for (var entry : data.entrySet()) {
            assertThat(entry.getValue()).isEqualTo(Files.readString(Manifests.REPO.resolve("config")
                .resolve(entry.getKey())));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceSelectsThePodsOfExactlyOneWorkloadOnPortsTheyName(String overlay) {
        var objects = Manifests.render(overlay);
        var templates = podTemplates(objects);
        for (Map<String, Object> service : ofKind(objects, "Service")) {
            Map<String, String> selector = labels(service, "spec", "selector");
            List<String> selected = templates.entrySet().stream()
                .filter(t -> selects(selector, labels(t.getValue(), "metadata", "labels")))
                .map(Map.Entry::getKey)
                .toList();
            assertThat(selected).as("Service " + string(service, "metadata", "name")).hasSize(1);
            Map<String, Object> template = templates.get(selected.get(0));
            for (Map<String, Object> port : list(service, "spec", "ports")) {
                Object target = port.get("targetPort");
                List<Object> named = list(template, "spec", "containers").stream()
                    .flatMap(c -> list(c, "ports").stream())
                    .map(p -> target instanceof Integer ? p.get("containerPort") : p.get("name"))
                    .toList();
                assertThat(named).as("target port " + target).contains(target);
            }
        }
        Map<String, Object> roomgate = one(objects, "Service", "roomgate");
        assertThat(list(roomgate, "spec", "ports")).extracting(p -> p.get("name"))
            .containsExactly("http", "management");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theServiceMonitorScrapesTheMetricsEndpointUnderTheJobTheAlertsExpect(String overlay) throws IOException {
        var objects = Manifests.render(overlay);
        Map<String, String> config = Manifests.applicationConfiguration();
        Map<String, Object> monitor = one(objects, "ServiceMonitor", "roomgate");
        Map<String, String> selector = labels(monitor, "spec", "selector", "matchLabels");
        List<Map<String, Object>> services = ofKind(objects, "Service").stream()
            .filter(s -> selects(selector, labels(s, "metadata", "labels")))
            .toList();
        assertThat(services).extracting(s -> string(s, "metadata", "name")).containsExactly("roomgate");
        Map<String, Object> service = services.get(0);
        List<Map<String, Object>> endpoints = list(monitor, "spec", "endpoints");
        assertThat(endpoints).hasSize(1);
        Map<String, Object> servicePort = list(service, "spec", "ports").stream()
            .filter(p -> p.get("name").equals(endpoints.get(0).get("port")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the ServiceMonitor's port is not a Service port"));
        assertThat(containerPort(container(objects), servicePort.get("targetPort")))
            .isEqualTo(Integer.parseInt(config.get("management.server.port")));
        assertThat(string(endpoints.get(0), "path")).isEqualTo("/actuator/prometheus");
        assertThat(config.get("management.endpoints.web.exposure.include")).contains("prometheus");
        // Without spec.jobLabel the operator names the job after the Service; the alert rules select that job.
        assertThat(at(monitor, "spec", "jobLabel")).isNull();
        String rules = Files.readString(Manifests.K8S.resolve("monitoring/alerts.yml"));
        assertThat(rules).contains("job=\"" + string(service, "metadata", "name") + "\"");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePodDisruptionBudgetLetsOnePodGoAtTheConfiguredReplicaCount(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> pdb = one(objects, "PodDisruptionBudget", "roomgate");
        assertThat(selects(labels(pdb, "spec", "selector", "matchLabels"),
                labels(deployment(objects), "spec", "template", "metadata", "labels"))).isTrue();
        int replicas = replicas(objects);
        int allowed;
        if (at(pdb, "spec", "maxUnavailable") != null) {
            allowed = Math.min(replicas, (Integer) at(pdb, "spec", "maxUnavailable"));
        }
        else {
            allowed = replicas - (Integer) at(pdb, "spec", "minAvailable");
        }
        assertThat(allowed).as("disruptions allowed with %d healthy replicas", replicas).isGreaterThanOrEqualTo(1);
        if (replicas > 1) {
            assertThat(replicas - allowed).as("pods left during a drain").isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void preStopWaitPlusDrainEndsBeforeTheGracePeriod(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, String> config = Manifests.applicationConfiguration();
        Map<String, Object> container = container(objects);
        assertThat(config.get("server.shutdown")).isEqualTo("graceful");
        List<Object> preStop = (List<Object>) at(container, "lifecycle", "preStop", "exec", "command");
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        Duration wait = Duration.ofSeconds(Long.parseLong(preStop.get(1).toString()));
        Duration drain = DurationStyle.detectAndParse(config.get("spring.lifecycle.timeout-per-shutdown-phase"));
        Duration grace = Duration.ofSeconds((Integer) at(deployment(objects), "spec", "template", "spec",
                "terminationGracePeriodSeconds"));
        // The JVM took ~3 s to stop after a drain when measured; leave at least 5 s for it.
        assertThat(wait.plus(drain).plusSeconds(5)).as("preStop %s + drain %s + 5 s", wait, drain)
            .isLessThanOrEqualTo(grace);
        assertThat(wait).as("long enough for endpoints to drop the pod").isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerRunsRestrictedWithRequestsAndLimits(String overlay) {
        var objects = Manifests.render(overlay);
        podTemplates(objects).forEach((workload, template) -> {
            Map<String, Object> pod = map(template, "spec");
            assertThat(at(pod, "securityContext", "runAsNonRoot")).as(workload).isEqualTo(true);
            assertThat(string(pod, "securityContext", "seccompProfile", "type")).as(workload)
                .isEqualTo("RuntimeDefault");
            assertThat(at(pod, "automountServiceAccountToken")).as(workload).isEqualTo(false);
            for (Map<String, Object> c : list(pod, "containers")) {
                String what = workload + "/" + c.get("name");
                assertThat(at(c, "securityContext", "readOnlyRootFilesystem")).as(what).isEqualTo(true);
                assertThat(at(c, "securityContext", "allowPrivilegeEscalation")).as(what).isEqualTo(false);
                assertThat((List<Object>) at(c, "securityContext", "capabilities", "drop")).as(what)
                    .containsExactly("ALL");
                assertThat(at(c, "securityContext", "capabilities", "add")).as(what).isNull();
                for (String kind : List.of("requests", "limits")) {
                    assertThat(string(c, "resources", kind, "cpu")).as(what + " cpu " + kind).isNotBlank();
                    assertThat(string(c, "resources", kind, "memory")).as(what + " memory " + kind).isNotBlank();
                }
                assertThat(string(c, "resources", "requests", "memory")).as(what + ": memory request = limit")
                    .isEqualTo(string(c, "resources", "limits", "memory"));
                assertThat(string(c, "image")).as(what).doesNotEndWith(":latest").contains(":");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theHeapLeavesRoomForWhatTheJvmNeedsBesideIt(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> container = container(objects);
        String options = env(container, objects).get("JAVA_TOOL_OPTIONS");
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError");
        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)").matcher(options);
        assertThat(percent.find()).as(options).isTrue();
        long limit = bytes(string(container, "resources", "limits", "memory"));
        long nonHeap = (long) (limit * (100 - Double.parseDouble(percent.group(1))) / 100);
        // Measured beside the heap (k8s/README.md): ~200 MiB of metaspace, code cache, threads, direct buffers.
        assertThat(nonHeap).as("memory outside the heap").isGreaterThanOrEqualTo(256L << 20);
        // The tmp emptyDir is where the JVM writes (read-only root filesystem).
        assertThat(list(container, "volumeMounts")).extracting(m -> m.get("mountPath")).contains("/tmp");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void noSecretReachesAConfigMap(String overlay) {
        var objects = Manifests.render(overlay);
        Pattern credentialKey = Pattern.compile("(?i).*(secret|password|api-key|token|sha256|sdk-app-id|private).*");
        Pattern placeholder = Pattern.compile("\\$\\{[A-Z0-9_]+:}");
        List<String> known = List.of(DemoRooms.PLUGNMEET_API_SECRET, DemoRooms.TENCENT_SECRET_KEY,
                DemoRooms.VIDEOSDK_SECRET);
        for (Map<String, Object> configMap : ofKind(objects, "ConfigMap")) {
            for (var entry : labels(configMap, "data").entrySet()) {
                String key = entry.getKey();
                if (key.endsWith(".yml") || key.endsWith(".yaml")) {
                    Map<String, String> flat = new LinkedHashMap<>();
                    Manifests.flatten("", Manifests.yamlDocuments(entry.getValue()).get(0), flat);
                    flat.forEach((property, value) -> {
                        if (credentialKey.matcher(property.substring(property.lastIndexOf('.') + 1)).matches()) {
                            assertThat(value).as(key + ": " + property + " comes from the environment")
                                .matches(placeholder);
                        }
                    });
                }
                else {
                    assertThat(key).as("environment entry in ConfigMap").doesNotMatch("(?i).*(SECRET|PASSWORD|TOKEN|KEY).*");
                }
                known.forEach(secret -> assertThat(entry.getValue()).doesNotContain(secret));
            }
        }
    }

    @Test
    void theCredentialsTemplateCarriesEveryCredentialTheConfigurationNamesAndNoValue() {
        Map<String, Object> template = Manifests.read(Manifests.K8S.resolve("secrets/roomgate-credentials.yaml"))
            .get(0);
        Map<String, String> values = labels(template, "stringData");
        assertThat(at(template, "data")).isNull();
        assertThat(values.values()).as("the template holds no values").allMatch(String::isEmpty);
        Set<String> needed = new TreeSet<>();
        Map<String, String> shipped = new LinkedHashMap<>();
        Manifests.flatten("", Manifests.read(Manifests.REPO.resolve("config/application.yml")).get(0), shipped);
        Pattern emptyDefault = Pattern.compile("\\$\\{([A-Z0-9_]+):}");
        for (String value : shipped.values()) {
            Matcher placeholders = emptyDefault.matcher(value);
            while (placeholders.find()) {
                needed.add(placeholders.group(1));
            }
        }
        assertThat(needed).isNotEmpty();
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(needed);
        for (String overlay : Manifests.OVERLAYS) {
            var objects = Manifests.render(overlay);
            assertThat(list(container(objects), "envFrom"))
                .anySatisfy(from -> assertThat(string(from, "secretRef", "name"))
                    .isEqualTo(string(template, "metadata", "name")));
            assertThat(string(template, "metadata", "namespace"))
                .isEqualTo(string(deployment(objects), "metadata", "namespace"));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theNetworkPolicyOpensOnlyTheTwoPortsInAndDnsHttpsAndRedisOut(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> policy = one(objects, "NetworkPolicy", "roomgate");
        assertThat(selects(labels(policy, "spec", "podSelector", "matchLabels"),
                labels(deployment(objects), "spec", "template", "metadata", "labels"))).isTrue();
        assertThat((List<Object>) at(policy, "spec", "policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");
        List<Object> in = list(policy, "spec", "ingress").stream()
            .flatMap(rule -> {
                assertThat(list(rule, "from")).as("every ingress rule names its peers").isNotEmpty();
                return list(rule, "ports").stream();
            })
            .map(p -> p.get("port"))
            .toList();
        assertThat(in).containsExactlyInAnyOrder("http", "management");
        Set<Object> out = new TreeSet<>();
        list(policy, "spec", "egress").forEach(rule -> {
            assertThat(list(rule, "ports")).as("every egress rule is limited to ports").isNotEmpty();
            list(rule, "ports").forEach(p -> out.add(p.get("port")));
        });
        Map<String, String> env = env(container(objects), objects);
        Set<Object> expected = new TreeSet<>(List.of(53, 443));
        if ("true".equals(env.get("ROOMGATE_CLUSTER_ENABLED"))) {
            expected.add(Integer.parseInt(env.get("SPRING_DATA_REDIS_PORT")));
        }
        assertThat(out).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void topologySpreadCountsThisApplicationsPods(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> template = map(deployment(objects), "spec", "template");
        List<Map<String, Object>> constraints = list(template, "spec", "topologySpreadConstraints");
        assertThat(constraints).extracting(c -> c.get("topologyKey"))
            .contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        constraints.forEach(c -> assertThat(selects(labels(c, "labelSelector", "matchLabels"),
                labels(template, "metadata", "labels"))).isTrue());
    }

    @Test
    void theSingleOverlayRunsOneReplicaWithoutClusterMode() {
        var objects = Manifests.render("single");
        assertThat(replicas(objects)).isEqualTo(1);
        assertThat(ofKind(objects, "HorizontalPodAutoscaler")).isEmpty();
        assertThat(env(container(objects), objects)).doesNotContainKeys("ROOMGATE_CLUSTER_ENABLED",
                "SPRING_DATA_REDIS_HOST");
        assertThat(podTemplates(objects)).containsOnlyKeys("roomgate");
    }

    @Test
    void theClusterOverlaysFallbackSharesAddUpToAtMostTheQuotaAtTheHpaCeiling() {
        var objects = Manifests.render("cluster");
        Map<String, Object> hpa = one(objects, "HorizontalPodAutoscaler", "roomgate");
        assertThat(string(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(string(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("roomgate");
        int floor = (Integer) at(hpa, "spec", "minReplicas");
        assertThat(floor).isGreaterThanOrEqualTo(3);
        int ceiling = (Integer) at(hpa, "spec", "maxReplicas");
        assertThat(ceiling).isGreaterThan(floor);
        Map<String, String> env = env(container(objects), objects);
        // While Redis is unreachable each replica keeps to limit / expected-replicas: only the HPA's ceiling keeps
        // the shares' sum within the provider's quota at every scale.
        assertThat(env).containsEntry("ROOMGATE_CLUSTER_ENABLED", "true")
            .containsEntry("ROOMGATE_CLUSTER_EXPECTEDREPLICAS", Integer.toString(ceiling));
        assertThat(env.get("SPRING_DATA_REDIS_PASSWORD")).isEqualTo("<from roomgate-redis>");
        Map<String, Object> redisTemplate = Manifests.read(Manifests.K8S.resolve("secrets/roomgate-redis.yaml")).get(0);
        assertThat(labels(redisTemplate, "stringData")).containsOnlyKeys("password").containsValue("");
    }

    @Test
    void theClusterOverlaysRedisIsTheOneRoomgateIsPointedAtAndOnlyRoomgateReachesIt() {
        var objects = Manifests.render("cluster");
        Map<String, String> env = env(container(objects), objects);
        Map<String, Object> service = one(objects, "Service", env.get("SPRING_DATA_REDIS_HOST"));
        assertThat(list(service, "spec", "ports")).extracting(p -> p.get("port"))
            .containsExactly(Integer.parseInt(env.get("SPRING_DATA_REDIS_PORT")));
        Map<String, Object> redis = one(objects, "Deployment", "roomgate-redis");
        Map<String, Object> redisPod = map(redis, "spec", "template");
        assertThat(selects(labels(service, "spec", "selector"), labels(redisPod, "metadata", "labels"))).isTrue();
        // Redis takes the same password Roomgate sends: theRedisPasswordIsRequiredOnBothSidesFromTheSameSecretKey.
        Map<String, Object> policy = one(objects, "NetworkPolicy", "roomgate-redis");
        assertThat(selects(labels(policy, "spec", "podSelector", "matchLabels"), labels(redisPod, "metadata", "labels")))
            .isTrue();
        assertThat(list(policy, "spec", "egress")).as("Redis reaches nothing").isEmpty();
        assertThat(list(policy, "spec", "ingress")).singleElement().satisfies(rule -> {
            assertThat(list(rule, "from")).singleElement()
                .satisfies(peer -> assertThat(selects(labels(peer, "podSelector", "matchLabels"),
                        labels(deployment(objects), "spec", "template", "metadata", "labels"))).isTrue());
        });
        // Roomgate's own Service must not select the Redis pods (and the reverse).
        assertThat(selects(labels(one(objects, "Service", "roomgate"), "spec", "selector"),
                labels(redisPod, "metadata", "labels"))).isFalse();
    }

    static Stream<String> clusterOverlays() {
        return Manifests.CLUSTER_OVERLAYS.stream();
    }

    static Map<String, Object> variable(Map<String, Object> container, String name) {
        return list(container, "env").stream()
            .filter(v -> name.equals(v.get("name")))
            .reduce((first, second) -> second)   // the last entry of a name is the one the container gets
            .orElseThrow(() -> new AssertionError("no variable " + name + " in " + container.get("name")));
    }

    static Map<String, Object> redisContainer(List<Map<String, Object>> objects) {
        List<Map<String, Object>> containers = list(one(objects, "Deployment", "roomgate-redis"), "spec", "template",
                "spec", "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** Required, from the one Secret key: never a literal, never optional (an absent key must stop the pod). */
    static void requiredFromRedisSecret(Map<String, Object> variable) {
        assertThat(variable).as(variable.get("name") + " has no literal value").doesNotContainKey("value");
        assertThat(string(variable, "valueFrom", "secretKeyRef", "name")).isEqualTo("roomgate-redis");
        assertThat(string(variable, "valueFrom", "secretKeyRef", "key")).isEqualTo("password");
        assertThat(at(variable, "valueFrom", "secretKeyRef", "optional")).as(variable.get("name") + " optional")
            .isEqualTo(false);
    }

    @ParameterizedTest
    @MethodSource("clusterOverlays")
    void theRedisPasswordIsRequiredOnBothSidesFromTheSameSecretKey(String overlay) {
        var objects = Manifests.render(overlay);
        requiredFromRedisSecret(variable(container(objects), "SPRING_DATA_REDIS_PASSWORD"));
        Map<String, Object> redis = redisContainer(objects);
        requiredFromRedisSecret(variable(redis, "REDIS_PASSWORD"));
        // The password is not in the Secret's optional envFrom either, nor anywhere as a literal.
        assertThat(list(container(objects), "envFrom")).allSatisfy(from -> assertThat(at(from, "secretRef",
                "optional")).isNotEqualTo(true));
    }

    /**
     * Runs the Redis container's command as the kubelet would (its command, then its args) with a stand-in
     * valkey-server that prints its arguments: an empty password stops it with a line naming the Secret; a set one
     * starts the server with {@code --requirepass} and that password, and every argument of the manifest.
     */
    @ParameterizedTest
    @MethodSource("clusterOverlays")
    void redisRefusesToStartWithAnEmptyPasswordAndOtherwiseRequiresIt(String overlay) throws Exception {
        var objects = Manifests.render(overlay);
        Map<String, Object> redis = redisContainer(objects);
        List<String> argv = new ArrayList<>();
        ((List<Object>) at(redis, "command")).forEach(a -> argv.add(a.toString()));
        List<String> args = new ArrayList<>();
        ((List<Object>) at(redis, "args")).forEach(a -> args.add(a.toString()));
        argv.addAll(args);
        assertThat(argv.get(0)).isEqualTo("sh");
        assertThat(String.join(" ", argv)).as("no Kubernetes $(VAR) expansion: the shell reads the variable")
            .doesNotContain("$(");
        Path bin = Files.createTempDirectory("fake-valkey");
        try {
            Path server = bin.resolve("valkey-server");
            Files.writeString(server, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            server.toFile().setExecutable(true);
            Run empty = run(argv, bin, "");
            assertThat(empty.exit()).as("exit with an empty password").isNotZero();
            assertThat(empty.err()).contains("roomgate-redis").contains("password");
            assertThat(empty.out()).as("the server never started").isEmpty();
            Run unset = run(argv, bin, null);
            assertThat(unset.exit()).as("exit without the variable").isNotZero();
            Run set = run(argv, bin, "a long random password");
            assertThat(set.exit()).isZero();
            List<String> started = set.out().lines().toList();
            int at = started.indexOf("--requirepass");
            assertThat(at).as("--requirepass in " + started).isNotNegative();
            assertThat(started.get(at + 1)).isEqualTo("a long random password");
            assertThat(started).containsSubsequence(args);
        }
        finally {
            try (var files = Files.list(bin)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(bin);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> argv, Path bin, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().remove("REDIS_PASSWORD");
        if (password != null) {
            builder.environment().put("REDIS_PASSWORD", password);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    /**
     * Roomgate reaches Redis only: the rule that opens the Redis port names the Redis pods by selector, and no
     * egress rule opens that port (or any port) to everywhere without naming its peers.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void egressToTheRedisPortGoesOnlyToTheRedisPods(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> policy = one(objects, "NetworkPolicy", "roomgate");
        Map<String, Map<String, Object>> templates = podTemplates(objects);
        Map<String, String> env = env(container(objects), objects);
        Set<Object> redisPorts = new TreeSet<>(List.of(6379));
        if (env.containsKey("SPRING_DATA_REDIS_PORT")) {
            redisPorts.add(Integer.parseInt(env.get("SPRING_DATA_REDIS_PORT")));
        }
        int redisRules = 0;
        for (Map<String, Object> rule : list(policy, "spec", "egress")) {
            assertThat(list(rule, "to")).as("every egress rule names its peers: " + rule).isNotEmpty();
            boolean toRedis = list(rule, "ports").stream().anyMatch(p -> redisPorts.contains(p.get("port")));
            if (!toRedis) {
                continue;
            }
            redisRules++;
            assertThat(list(rule, "ports")).extracting(p -> p.get("port")).as("the Redis rule opens Redis only")
                .allMatch(redisPorts::contains);
            for (Map<String, Object> peer : list(rule, "to")) {
                assertThat(peer).as("a Redis peer is a pod selector, not an address block").doesNotContainKey("ipBlock");
                Map<String, String> selector = labels(peer, "podSelector", "matchLabels");
                assertThat(selector).as("Redis peer's pod selector").isNotEmpty();
                assertThat(templates.entrySet().stream()
                    .filter(t -> selects(selector, labels(t.getValue(), "metadata", "labels")))
                    .map(Map.Entry::getKey)
                    .toList()).as("pods the Redis rule reaches").containsExactly("roomgate-redis");
            }
        }
        assertThat(redisRules).as("rules to Redis").isEqualTo(templates.containsKey("roomgate-redis") ? 1 : 0);
    }

    /**
     * The peers of Roomgate's NetworkPolicy keep their own labels: a Kustomize label transformer with
     * includeSelectors rewrites them to Roomgate's, which lets no ingress controller in and no DNS out.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void theNetworkPolicysPeersKeepTheirOwnSelectors(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> policy = one(objects, "NetworkPolicy", "roomgate");
        Map<String, String> own = labels(deployment(objects), "spec", "template", "metadata", "labels");
        List<Map<String, Object>> peers = new ArrayList<>();
        list(policy, "spec", "ingress").forEach(rule -> peers.addAll(list(rule, "from")));
        list(policy, "spec", "egress").forEach(rule -> peers.addAll(list(rule, "to")));
        for (Map<String, Object> peer : peers) {
            Map<String, String> selector = labels(peer, "podSelector", "matchLabels");
            assertThat(selector).as("peer " + peer).doesNotContainEntry("app.kubernetes.io/name", "roomgate");
            assertThat(selects(selector, own)).as("peer " + peer + " is not Roomgate itself").isFalse();
        }
        assertThat(peers).extracting(p -> labels(p, "podSelector", "matchLabels"))
            .contains(Map.of("app.kubernetes.io/name", "ingress-nginx"), Map.of("app.kubernetes.io/name", "prometheus"),
                    Map.of("k8s-app", "kube-dns"));
    }

    /** With components/redis-tls, both sides speak TLS on the port Roomgate is pointed at; without it, neither. */
    @ParameterizedTest
    @MethodSource("clusterOverlays")
    void redisTlsIsOnOnBothSidesOrOnNeither(String overlay) {
        var objects = Manifests.render(overlay);
        Map<String, Object> roomgate = container(objects);
        Map<String, String> env = env(roomgate, objects);
        Map<String, Object> redis = redisContainer(objects);
        List<String> args = ((List<Object>) at(redis, "args")).stream().map(Object::toString).toList();
        boolean tls = Boolean.parseBoolean(env.get("SPRING_DATA_REDIS_SSL_ENABLED"));
        assertThat(tls).as(overlay + " speaks TLS").isEqualTo(overlay.endsWith("-tls"));
        if (!tls) {
            assertThat(args).doesNotContain("--tls-port");
            return;
        }
        String port = env.get("SPRING_DATA_REDIS_PORT");
        assertThat(args.get(args.indexOf("--tls-port") + 1)).isEqualTo(port);
        assertThat(args.get(args.lastIndexOf("--port") + 1)).as("no plain-text port").isEqualTo("0");
        // Redis's certificate and key, and the CA Roomgate trusts, come from one Secret, each mounted where read.
        Map<String, Object> redisPod = map(one(objects, "Deployment", "roomgate-redis"), "spec", "template", "spec");
        for (String flag : List.of("--tls-cert-file", "--tls-key-file")) {
            assertThat(mountedSecret(redisPod, redis, args.get(args.indexOf(flag) + 1))).as(flag)
                .isEqualTo("roomgate-redis-tls");
        }
        assertThat(env).containsEntry("SPRING_DATA_REDIS_SSL_BUNDLE", "redis");
        String ca = env.get("SPRING_SSL_BUNDLE_PEM_REDIS_TRUSTSTORE_CERTIFICATE");
        assertThat(ca).startsWith("file:");
        assertThat(mountedSecret(map(deployment(objects), "spec", "template", "spec"), roomgate,
                ca.substring("file:".length()))).isEqualTo("roomgate-redis-tls");
    }

    /** The Secret whose volume holds this file in this container, with the file's key present. */
    private static String mountedSecret(Map<String, Object> pod, Map<String, Object> container, String file) {
        for (Map<String, Object> mount : list(container, "volumeMounts")) {
            String dir = string(mount, "mountPath") + "/";
            if (!file.startsWith(dir)) {
                continue;
            }
            Map<String, Object> volume = list(pod, "volumes").stream()
                .filter(v -> mount.get("name").equals(v.get("name")))
                .findFirst()
                .orElseThrow();
            String name = file.substring(dir.length());
            List<Map<String, Object>> items = list(volume, "secret", "items");
            assertThat(items.isEmpty() || items.stream().anyMatch(i -> name.equals(i.get("path"))))
                .as(file + " is projected").isTrue();
            return string(volume, "secret", "secretName");
        }
        throw new AssertionError("no volume mounted over " + file);
    }
}
