package dev.roomgate.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.Yaml;

/**
 * The objects an overlay renders to, as {@code kubectl kustomize} prints them, and the two configuration files the
 * application reads (its built-in defaults and the operator's file), flattened to dotted keys.
 */
final class Manifests {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    static final Path K8S = REPO.resolve("k8s");

    static final List<String> OVERLAYS = List.of("single", "cluster", "cluster-tls");

    /** The overlays that run cluster mode, with the in-cluster Redis. */
    static final List<String> CLUSTER_OVERLAYS = List.of("cluster", "cluster-tls");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** {@code kubectl kustomize k8s/overlays/NAME}: kubectl (with Kustomize) is on every build machine. */
    static List<Map<String, Object>> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name -> {
            Path dir = K8S.resolve("overlays").resolve(name);
            try {
                Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
                byte[] out = process.getInputStream().readAllBytes();
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
                }
                return yamlDocuments(new String(out, StandardCharsets.UTF_8));
            }
            catch (IOException e) {
                throw new UncheckedIOException("kubectl (with Kustomize) is needed to render " + dir, e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static List<Map<String, Object>> read(Path file) {
        try {
            return yamlDocuments(Files.readString(file));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = ofKind(objects, kind).stream()
            .filter(o -> name.equals(string(o, "metadata", "name")))
            .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    /** Follows map keys and list indexes; null when absent. */
    @SuppressWarnings("unchecked")
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current == null) {
                return null;
            }
            if (step instanceof Integer index) {
                List<Object> list = (List<Object>) current;
                current = index < list.size() ? list.get(index) : null;
            }
            else {
                current = ((Map<String, Object>) current).get((String) step);
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        return (Map<String, Object>) Objects.requireNonNull(at(node, path), () -> "no " + List.of(path));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, Object... path) {
        Object found = at(node, path);
        return found == null ? List.of() : (List<Map<String, Object>>) found;
    }

    static String string(Object node, Object... path) {
        Object found = at(node, path);
        return found == null ? null : found.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Object node, Object... path) {
        Object found = at(node, path);
        Map<String, String> labels = new LinkedHashMap<>();
        if (found != null) {
            ((Map<String, Object>) found).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        }
        return labels;
    }

    /** Whether a label selector (matchLabels only: that is all these manifests use) selects these labels. */
    static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return !matchLabels.isEmpty() && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    /** Pod templates of every workload, by workload name. */
    static Map<String, Map<String, Object>> podTemplates(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        for (Map<String, Object> o : objects) {
            if (List.of("Deployment", "StatefulSet", "DaemonSet").contains(o.get("kind"))) {
                templates.put(string(o, "metadata", "name"), map(o, "spec", "template"));
            }
        }
        return templates;
    }

    /** The application's effective file configuration: built-in defaults overridden by config/application.yml. */
    static Map<String, String> applicationConfiguration() {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", read(REPO.resolve("gateway/src/main/resources/application.yml")).get(0), flat);
        flatten("", read(REPO.resolve("config/application.yml")).get(0), flat);
        return flat;
    }

    @SuppressWarnings("unchecked")
    static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> flatten(prefix.isEmpty() ? k : prefix + "." + k, v, into));
        }
        else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                flatten(prefix + "[" + i + "]", l.get(i), into);
            }
            if (l.isEmpty()) {
                into.put(prefix, "");
            }
        }
        else {
            into.put(prefix, String.valueOf(node));
        }
    }

    /** A Kubernetes quantity of memory in bytes (the binary suffixes these manifests use). */
    static long bytes(String quantity) {
        Map<String, Long> units = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30);
        for (var unit : units.entrySet()) {
            if (quantity.endsWith(unit.getKey())) {
                return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * unit.getValue();
            }
        }
        return Long.parseLong(quantity);
    }
}
