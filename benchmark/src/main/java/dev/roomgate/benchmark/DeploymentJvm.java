package dev.roomgate.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * The JVM flags the benchmark runs Roomgate (and the pass-through) with: the Deployment's own, read from
 * {@code k8s/base/deployment.yaml}, so the figures are those of the JVM that runs in production. The JVM there sizes
 * itself from its container's memory limit; here {@code -XX:MaxRAM} set to that limit makes it size itself alike.
 */
final class DeploymentJvm {

    static final Path MANIFEST = Path.of("k8s", "base", "deployment.yaml");

    private DeploymentJvm() {
    }

    /** {@code JAVA_TOOL_OPTIONS} of the Roomgate container, then {@code -XX:MaxRAM=} its memory limit. */
    static String flags(Path root) {
        Map<String, Object> container = container(root.resolve(MANIFEST));
        String options = env(container).get("JAVA_TOOL_OPTIONS");
        if (options == null) {
            throw new IllegalStateException(MANIFEST + ": the roomgate container sets no JAVA_TOOL_OPTIONS");
        }
        Map<?, ?> limits = (Map<?, ?>) ((Map<?, ?>) container.get("resources")).get("limits");
        return options.trim() + " -XX:MaxRAM=" + maxRam(String.valueOf(limits.get("memory")));
    }

    /** A Kubernetes quantity in Mi or Gi as the JVM's size syntax (m, g). */
    static String maxRam(String quantity) {
        String q = quantity.trim();
        if (q.endsWith("Mi") || q.endsWith("Gi")) {
            return q.substring(0, q.length() - 2) + q.substring(q.length() - 2, q.length() - 1).toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("memory limit " + quantity + ": expected Mi or Gi");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Path manifest) {
        try {
            Map<String, Object> deployment = new Yaml().load(Files.readString(manifest));
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment
                .get("spec")).get("template")).get("spec");
            return ((List<Map<String, Object>>) pod.get("containers")).stream()
                .filter(c -> "roomgate".equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(manifest + ": no container named roomgate"));
        }
        catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            if (variable.get("value") != null) {
                env.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
            }
        }
        return env;
    }
}
