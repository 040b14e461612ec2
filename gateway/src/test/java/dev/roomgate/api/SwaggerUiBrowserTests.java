package dev.roomgate.api;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.yaml.snakeyaml.Yaml;

import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Swagger UI page in a real headless Chromium (Debian's, which {@code .ci/run} installs): it loads under the
 * page's own Content-Security-Policy, shows every path of the served document, and an endpoint tried from it with
 * an API key answers. Waits are bounded conditions on the page, never a fixed time.
 */
class SwaggerUiBrowserTests extends CacheOffIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static WebDriver browser;

    private static Path profile;

    @BeforeAll
    static void startChromium() throws Exception {
        profile = Files.createTempDirectory("roomgate-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Without the background-networking flags Chromium keeps dialling Google on this closed network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,2000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The driver is Debian's, beside its Chromium: Selenium Manager would try to download one.
        ChromeDriverService driver = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private WebElement await(By what) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private static WebElement within(WebElement section, By what) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOf(
                new WebDriverWait(browser, WAIT).until(page -> section.findElement(what))));
    }

    /** Clicks once the element can take it (the page animates its modal and sections open). */
    private static void click(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                element);
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(element)).click();
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePageShowsEveryDocumentedPathAndLoadsNothingItsPolicyRefuses() {
        browser.get("http://localhost:" + port + "/swagger-ui.html");
        await(By.cssSelector(".opblock-summary-path"));

        assertThat(browser.findElement(By.cssSelector(".info .title")).getText()).startsWith("Roomgate");
        byte[] served = anonymous().get().uri(ApiDescription.PATH).exchange()
            .expectBody().returnResult().getResponseBody();
        Map<String, Object> document = new Yaml().load(new String(served, java.nio.charset.StandardCharsets.UTF_8));
        List<String> shown = browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
            .map(path -> path.getAttribute("data-path")).toList();
        assertThat(shown).containsExactlyInAnyOrderElementsOf(((Map<String, Object>) document.get("paths")).keySet());
        // A script, style or fetch the Content-Security-Policy refused would be reported on the console.
        List<String> refused = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(message -> message.contains("Content Security Policy") || message.contains("Refused"))
            .toList();
        assertThat(refused).isEmpty();
    }

    @Test
    void anEndpointTriedFromThePageWithAnApiKeyAnswers() {
        browser.get("http://localhost:" + port + "/swagger-ui.html");
        click(await(By.cssSelector(".btn.authorize")));
        WebElement apiKeyForm = await(By.xpath("//div[contains(@class,'auth-container')][.//h4[contains(.,'apiKey')]]"));
        apiKeyForm.findElement(By.cssSelector("input")).sendKeys(ProviderEmulators.API_KEY);
        click(apiKeyForm.findElement(By.cssSelector("button.authorize")));
        click(await(By.cssSelector(".btn-done")));

        WebElement summary = await(By.xpath(
                "//span[@data-path='/v1/providers']/ancestor::*[contains(@class,'opblock-summary')][1]"));
        click(summary);
        WebElement operation = summary.findElement(
                By.xpath("./ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' opblock ')][1]"));
        click(within(operation, By.cssSelector(".try-out__btn")));
        click(within(operation, By.cssSelector(".btn.execute")));

        WebElement status = within(operation, By.cssSelector(".live-responses-table .response .response-col_status"));
        assertThat(status.getText()).startsWith("200");
        assertThat(operation.findElement(By.cssSelector(".live-responses-table .response .response-col_description")).getText())
            .contains(ProviderEmulators.PLUGNMEET);
    }
}
