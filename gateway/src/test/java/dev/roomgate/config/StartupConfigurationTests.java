package dev.roomgate.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roomgate.RoomgateApplication;
import dev.roomgate.support.Await;
import dev.roomgate.support.OwnNettyResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up with the operator's configuration file, and what a mistake in it looks like. */
@ExtendWith(OutputCaptureExtension.class)
class StartupConfigurationTests {

    private static final Path SHIPPED = Path.of("..", "config", "application.yml");

    /** The shipped file takes its key's hash from the environment; this is sha256("dashboard-key"). */
    private static final String DASHBOARD_KEY = "ROOMGATE_DASHBOARD_KEY_SHA256="
            + java.util.HexFormat.of().formatHex(ApiKeys.sha256("dashboard-key"));

    /** Logging is asynchronous, so the start-up failure report may reach the output a moment after the failure. */
    private static String awaitOutput(CapturedOutput output) {
        Await.until("the start-up failure report", () -> output.getAll().contains("APPLICATION FAILED TO START"));
        return output.getAll();
    }

    /** The report's lines that name an invalid key. */
    private static List<String> invalidLines(String output) {
        return output.lines().filter(line -> line.startsWith("Invalid Roomgate configuration: ")).toList();
    }

    private static SpringApplicationBuilder roomgate(String... properties) {
        return new SpringApplicationBuilder(RoomgateApplication.class).initializers(new OwnNettyResources())
            .properties(properties);
    }

    @Test
    void theShippedConfigurationStartsOnceCredentialsAreProvided() {
        assertThat(Files.exists(SHIPPED)).isTrue();
        try (ConfigurableApplicationContext context = roomgate("PLUGNMEET_MAIN_API_KEY=plugnmeet-key",
                "PLUGNMEET_MAIN_API_SECRET=plugnmeet-secret-value", "TENCENT_SG_SDK_APP_ID=1400000000",
                "TENCENT_SG_SECRET_KEY=tencent-secret-value", "VIDEOSDK_MAIN_API_KEY=videosdk-key",
                "VIDEOSDK_MAIN_SECRET=videosdk-secret-value", DASHBOARD_KEY)
            .run("--spring.config.additional-location=file:" + SHIPPED, "--server.port=0",
                    "--management.server.port=0")) {
            ProviderInstances instances = context.getBean(ProviderInstances.class);
            assertThat(instances.enabled()).extracting(ProviderInstance::name)
                .containsExactly("plugnmeet-main", "tencent-sg", "videosdk-main");
            assertThat(instances.enabled()).allSatisfy(instance -> {
                assertThat(instance.requestsPerSecond()).isEqualTo(200);
                assertThat(instance.retry().maxAttempts()).isEqualTo(3);
            });
        }
    }

    private static String[] plugNmeetArgs(String name) {
        String p = "--roomgate.providers." + name + ".";
        return new String[] { p + "type=plugnmeet", p + "base-url=https://" + name + ".example.com",
                p + "credentials.api-key=key-" + name, p + "credentials.api-secret=secret-of-" + name };
    }

    @Test
    void instancesGivenOnTheCommandLineKeepTheOrderOfTheArguments() {
        List<String> names = List.of("zeta-one", "alpha-two", "mid-three", "beta-four", "omega-five");
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--roomgate.security.enabled=false"));
        names.forEach(name -> args.addAll(List.of(plugNmeetArgs(name))));
        try (ConfigurableApplicationContext context = roomgate().run(args.toArray(String[]::new))) {
            assertThat(context.getBean(ProviderInstances.class).enabled()).extracting(ProviderInstance::name)
                .containsExactlyElementsOf(names);
        }
    }

    @Test
    void anInstanceAddedOnTheCommandLineComesAfterTheFilesOwn() {
        List<String> args = new java.util.ArrayList<>(List.of("--spring.config.additional-location=file:" + SHIPPED,
                "--server.port=0", "--management.server.port=0",
                "--roomgate.providers.tencent-sg.credentials.secret-key=overridden-secret-value"));
        args.addAll(List.of(plugNmeetArgs("aaa-extra")));
        try (ConfigurableApplicationContext context = roomgate("PLUGNMEET_MAIN_API_KEY=plugnmeet-key",
                "PLUGNMEET_MAIN_API_SECRET=plugnmeet-secret-value", "TENCENT_SG_SDK_APP_ID=1400000000",
                "TENCENT_SG_SECRET_KEY=tencent-secret-value", "VIDEOSDK_MAIN_API_KEY=videosdk-key",
                "VIDEOSDK_MAIN_SECRET=videosdk-secret-value", DASHBOARD_KEY).run(args.toArray(String[]::new))) {
            assertThat(context.getBean(ProviderInstances.class).enabled()).extracting(ProviderInstance::name)
                .containsExactly("plugnmeet-main", "tencent-sg", "videosdk-main", "aaa-extra");
        }
    }

    @Test
    void aMissingCredentialStopsStartUpWithOneLineNamingTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> roomgate("PLUGNMEET_MAIN_API_KEY=plugnmeet-key", "TENCENT_SG_SDK_APP_ID=1400000000",
                "TENCENT_SG_SECRET_KEY=tencent-secret-value", "VIDEOSDK_MAIN_API_KEY=videosdk-key",
                "VIDEOSDK_MAIN_SECRET=videosdk-secret-value", DASHBOARD_KEY)
            .run("--spring.config.additional-location=file:" + SHIPPED, "--server.port=0",
                    "--management.server.port=0"))
            .hasRootCauseInstanceOf(BindValidationException.class);
        assertThat(invalidLines(awaitOutput(output))).containsExactly(
                "Invalid Roomgate configuration: roomgate.providers.plugnmeet-main.credentials.api-secret: is required");
    }

    @Test
    void everyErrorIsReportedOneLineEachWithoutAnyValue(CapturedOutput output) {
        assertThatThrownBy(() -> roomgate("PLUGNMEET_MAIN_API_KEY=plugnmeet-key-value",
                "PLUGNMEET_MAIN_API_SECRET=plugnmeet-secret-value", "TENCENT_SG_SDK_APP_ID=tencent-app-id-value",
                "TENCENT_SG_SECRET_KEY=tencent-secret-value", "VIDEOSDK_MAIN_API_KEY=videosdk-key-value", DASHBOARD_KEY)
            .run("--spring.config.additional-location=file:" + SHIPPED, "--server.port=0",
                    "--management.server.port=0",
                    "--roomgate.providers.plugnmeet-main.base-url=https://operator:url-password-value@meet.example.com",
                    "--roomgate.cluster.lease-for=10ms", "--roomgate.client-rate-limit.burst=1"))
            .hasRootCauseInstanceOf(BindValidationException.class);
        String report = awaitOutput(output);
        assertThat(invalidLines(report)).containsExactly(
                "Invalid Roomgate configuration: roomgate.client-rate-limit.burst: must be at least 50",
                "Invalid Roomgate configuration: roomgate.cluster.lease-for: must be longer than "
                        + "roomgate.cluster.redis-timeout, or an answer in time may bring no usable permit",
                "Invalid Roomgate configuration: roomgate.providers.plugnmeet-main.base-url: "
                        + "must be an absolute http(s) URL without user info, query or fragment",
                "Invalid Roomgate configuration: roomgate.providers.tencent-sg.credentials.sdk-app-id: "
                        + "must be a positive integer",
                "Invalid Roomgate configuration: roomgate.providers.videosdk-main.credentials.secret: is required");
        assertThat(report).doesNotContain("plugnmeet-key-value", "plugnmeet-secret-value", "tencent-app-id-value",
                "tencent-secret-value", "videosdk-key-value", "url-password-value", "operator:");
    }

    @Test
    void aKeysPriorityAndQuotaShareAreHeldToWhatTheSchedulerKnows(CapturedOutput output) {
        assertThatThrownBy(() -> roomgate("PLUGNMEET_MAIN_API_KEY=plugnmeet-key",
                "PLUGNMEET_MAIN_API_SECRET=plugnmeet-secret-value", "TENCENT_SG_SDK_APP_ID=1400000000",
                "TENCENT_SG_SECRET_KEY=tencent-secret-value", "VIDEOSDK_MAIN_API_KEY=videosdk-key",
                "VIDEOSDK_MAIN_SECRET=videosdk-secret-value", DASHBOARD_KEY)
            .run("--spring.config.additional-location=file:" + SHIPPED, "--server.port=0",
                    "--management.server.port=0", "--roomgate.security.api-keys[0].priority=urgent",
                    "--roomgate.security.api-keys[0].quota-share=0",
                    "--roomgate.providers.tencent-sg.rate-limit.max-waiting=0"))
            .hasRootCauseInstanceOf(BindValidationException.class);
        assertThat(invalidLines(awaitOutput(output))).containsExactly(
                "Invalid Roomgate configuration: roomgate.providers.tencent-sg.rate-limit.max-waiting: "
                        + "must be between 1 and 100000",
                "Invalid Roomgate configuration: roomgate.security.api-keys.0.priority: "
                        + "must be interactive or background",
                "Invalid Roomgate configuration: roomgate.security.api-keys.0.quota-share: "
                        + "must be between 1 and 1000");
    }

    @Test
    void anInstanceNameThatBindingWouldRewriteStopsStartUp(@TempDir Path dir, CapturedOutput output)
            throws Exception {
        Path file = dir.resolve("application.yml");
        Files.writeString(file, String.join("\n", "roomgate:", "  providers:", "    \"plug main\":",
                "      type: plugnmeet", "      base-url: https://meet.example.com", "      credentials:",
                "        api-key: plugnmeet", "        api-secret: a-long-enough-secret", ""));
        assertThatThrownBy(() -> roomgate().run("--spring.config.additional-location=file:" + file,
                "--server.port=0", "--management.server.port=0"))
            .hasRootCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(awaitOutput(output)).contains("Invalid Roomgate configuration: roomgate.providers.plug main: "
                + "instance name must match");
    }

    @Test
    void theFailureLineNamesTheKeyEvenWhenTheApiKeyIsACommonWord(CapturedOutput output) {
        // plugNmeet's documented demo key is the word "plugnmeet", which also starts the instance's name.
        assertThatThrownBy(() -> roomgate("PLUGNMEET_MAIN_API_KEY=plugnmeet", DASHBOARD_KEY)
            .run("--spring.config.additional-location=file:" + SHIPPED, "--server.port=0",
                    "--management.server.port=0"));
        assertThat(awaitOutput(output)).contains(
                "Invalid Roomgate configuration: roomgate.providers.plugnmeet-main.credentials.api-secret: is required");
    }

    @Test
    void aMissingApiKeyIsNamedUnredacted(CapturedOutput output) {
        assertThatThrownBy(() -> roomgate(DASHBOARD_KEY).run("--spring.config.additional-location=file:" + SHIPPED,
                "--server.port=0", "--management.server.port=0"));
        assertThat(awaitOutput(output)).contains("Invalid Roomgate configuration: roomgate.providers.plugnmeet-main.credentials.api-key: is required");
        // Nothing is set: every credential of every instance is named, each on its own line.
        assertThat(invalidLines(output.getAll())).containsExactly(
                "Invalid Roomgate configuration: roomgate.providers.plugnmeet-main.credentials.api-key: is required",
                "Invalid Roomgate configuration: roomgate.providers.plugnmeet-main.credentials.api-secret: is required",
                "Invalid Roomgate configuration: roomgate.providers.tencent-sg.credentials.sdk-app-id: is required",
                "Invalid Roomgate configuration: roomgate.providers.tencent-sg.credentials.secret-key: is required",
                "Invalid Roomgate configuration: roomgate.providers.videosdk-main.credentials.api-key: is required",
                "Invalid Roomgate configuration: roomgate.providers.videosdk-main.credentials.secret: is required");
    }

    @Test
    void anUnknownTypeStopsStartUpWithoutPrintingSecrets(CapturedOutput output) {
        assertThatThrownBy(() -> roomgate().run("--server.port=0", "--management.server.port=0",
                "--roomgate.providers.zoom-eu.type=zoom", "--roomgate.providers.zoom-eu.base-url=https://z.example.com",
                "--roomgate.providers.zoom-eu.credentials.secret=do-not-print-this-secret"))
            .hasRootCauseInstanceOf(BindValidationException.class);
        String report = awaitOutput(output);
        assertThat(invalidLines(report)).containsExactly("Invalid Roomgate configuration: "
                + "roomgate.providers.zoom-eu.type: unknown type; expected plugnmeet, tencent or videosdk");
        assertThat(report).doesNotContain("do-not-print-this-secret");
    }
}
