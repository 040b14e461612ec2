package dev.roomgate.api;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.support.CacheOffIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document is served where clients look, to anyone, and says what each endpoint really answers. */
class ApiDescriptionEndToEndTests extends CacheOffIntegrationTest {

    @Test
    void theDocumentIsServedWithoutACredentialAsItIsInTheBuild() throws Exception {
        byte[] built;
        try (InputStream in = ApiDescription.class.getResourceAsStream(ApiDescription.RESOURCE)) {
            built = in.readAllBytes();
        }
        byte[] served = anonymous().get().uri(ApiDescription.PATH).exchange()
            .expectStatus().isOk()
            .expectHeader().contentType("application/yaml")
            .expectHeader().exists("ETag")
            .expectBody().returnResult().getResponseBody();
        assertThat(served).isEqualTo(built);
        // Only reading it is let in: any other method is refused as a path nothing answers (deny by default).
        anonymous().post().uri(ApiDescription.PATH).exchange().expectStatus().isNotFound();
    }

    /** Each documented GET, asked with the all-permissions key, answers one of the statuses documented for it. */
    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedEndpointAnswersADocumentedStatus() {
        byte[] served = anonymous().get().uri(ApiDescription.PATH).exchange()
            .expectBody().returnResult().getResponseBody();
        Map<String, Object> document = new Yaml().load(new String(served, StandardCharsets.UTF_8));
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        assertThat(paths).isNotEmpty();
        paths.forEach((path, operations) -> {
            Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) operations).get("get");
            if (get == null) {
                // The webhooks, POST only, are held to their statuses by WebhookEndToEndTests.
                return;
            }
            Map<String, Object> responses = (Map<String, Object>) get.get("responses");
            int status = statusOf(client, path.replace("{roomId}", DemoRooms.DEMO_STANDUP));
            assertThat(responses).as(path).containsKey(Integer.toString(status));
            int unauthorized = statusOf(anonymous(), path.replace("{roomId}", DemoRooms.DEMO_STANDUP));
            assertThat(responses).as(path + " without a key").containsKey(Integer.toString(unauthorized));
        });
    }

    /** The status, and the body read only as far as its first part: an event stream does not end by itself. */
    private static int statusOf(WebTestClient client, String path) {
        var result = client.get().uri(path).exchange().returnResult(String.class);
        result.getResponseBody().take(1).blockLast(Duration.ofSeconds(30));
        return result.getStatus().value();
    }

    @Test
    @SuppressWarnings("unchecked")
    void springdocsPlacesServeTheSameDocumentAndNothingSpringdocGenerates() {
        byte[] yaml = anonymous().get().uri(ApiDescription.PATH).exchange()
            .expectBody().returnResult().getResponseBody();
        Map<String, Object> document = new Yaml().load(new String(yaml, StandardCharsets.UTF_8));
        Map<String, Object> json = anonymous().get().uri(ApiDescription.SPRINGDOC_JSON_PATH).exchange()
            .expectStatus().isOk()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(json).isEqualTo(document);
        byte[] springdocYaml = anonymous().get().uri(ApiDescription.SPRINGDOC_YAML_PATH).exchange()
            .expectStatus().isOk()
            .expectBody().returnResult().getResponseBody();
        assertThat(springdocYaml).isEqualTo(yaml);
        // A springdoc group document is springdoc's own generation: no rule lets it in.
        anonymous().get().uri(ApiDescription.SPRINGDOC_JSON_PATH + "/springdocDefault").exchange()
            .expectStatus().isNotFound();
        client.get().uri(ApiDescription.SPRINGDOC_JSON_PATH + "/springdocDefault").exchange()
            .expectStatus().isNotFound();
    }

    @Test
    void theSwaggerUiPageIsPublicAndShowsThisDocumentUnderItsOwnPolicy() {
        anonymous().get().uri("/swagger-ui.html").exchange()
            .expectStatus().isFound()
            .expectHeader().value(HttpHeaders.LOCATION,
                    location -> assertThat(location).endsWith("/swagger-ui/index.html"));
        anonymous().get().uri("/swagger-ui/index.html").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("Content-Security-Policy", SecurityHeadersFilter.PAGE_POLICY)
            .expectHeader().valueEquals("X-Frame-Options", "DENY");
        anonymous().get().uri(ApiDescription.SPRINGDOC_JSON_PATH + "/swagger-config").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.url").isEqualTo(ApiDescription.PATH);
        // Every answer that is not the page stays inert data.
        anonymous().get().uri(ApiDescription.PATH).exchange()
            .expectHeader().valueEquals("Content-Security-Policy", SecurityHeadersFilter.DATA_POLICY);
    }
}
