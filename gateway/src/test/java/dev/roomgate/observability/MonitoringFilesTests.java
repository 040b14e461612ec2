package dev.roomgate.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules are valid, behave as their unit tests say, and are the same for plain Prometheus and the Operator. */
class MonitoringFilesTests {

    static final Path MONITORING = Path.of("..", "k8s", "monitoring");

    /** Runs promtool (Debian's prometheus package; .ci/run installs it) and returns its output. */
    static String promtool(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "promtool";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true).start();
        }
        catch (IOException missing) {
            throw new IllegalStateException("promtool is needed: apt-get install prometheus (see README)", missing);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void alertRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 9 rules found");
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        assertThat(promtool("test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePrometheusRuleCarriesExactlyTheSameRules() throws IOException {
        Map<String, Object> plain = new Yaml().load(Files.readString(MONITORING.resolve("alerts.yml")));
        Map<String, Object> operator = new Yaml().load(Files.readString(MONITORING.resolve("prometheus-rule.yaml")));
        assertThat(operator.get("kind")).isEqualTo("PrometheusRule");
        assertThat(((Map<String, Object>) operator.get("spec")).get("groups")).isEqualTo(plain.get("groups"));
    }
}
