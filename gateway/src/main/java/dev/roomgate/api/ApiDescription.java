package dev.roomgate.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The OpenAPI document, on the main port and without a credential, so that clients and their tools find the API
 * where they look: {@code /openapi.yaml}, and where springdoc users look, {@code /v3/api-docs} (JSON) and
 * {@code /v3/api-docs.yaml}. It is the hand-written document the tests hold to the code (the endpoints are
 * functional routes with no annotations for springdoc to generate one from), read once at start-up; these routes
 * come before springdoc's own, so the document springdoc would generate is never served. The Swagger UI page
 * (springdoc's, {@code /swagger-ui.html}) shows this document.
 */
final class ApiDescription {

    static final String PATH = "/openapi.yaml";

    /** Where springdoc serves its generated document; this one is served there instead. */
    static final String SPRINGDOC_JSON_PATH = "/v3/api-docs";

    static final String SPRINGDOC_YAML_PATH = "/v3/api-docs.yaml";

    static final String RESOURCE = "/openapi/roomgate.yaml";

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final byte[] yaml;

    private final byte[] json;

    ApiDescription(JsonMapper mapper) {
        try (InputStream in = ApiDescription.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the classpath");
            }
            this.yaml = in.readAllBytes();
        }
        catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        this.json = mapper.writeValueAsBytes(parsed(yaml));
    }

    private static Object parsed(byte[] yaml) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(yaml, StandardCharsets.UTF_8));
        requireNoTimestamp(document, "");
        return document;
    }

    /** YAML reads an unquoted date as a timestamp, which JSON would write as a number: the document must quote it. */
    private static void requireNoTimestamp(Object node, String where) {
        if (node instanceof Date) {
            throw new IllegalStateException(RESOURCE + " has an unquoted date at " + where + ": quote it");
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> requireNoTimestamp(value, where + "/" + key));
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                requireNoTimestamp(list.get(i), where + "/" + i);
            }
        }
    }

    Mono<ServerResponse> yaml(ServerRequest request) {
        return serve(YAML, yaml);
    }

    Mono<ServerResponse> json(ServerRequest request) {
        return serve(MediaType.APPLICATION_JSON, json);
    }

    private static Mono<ServerResponse> serve(MediaType type, byte[] body) {
        return PreparedBody.response(200, type, body, headers -> {
            headers.setCacheControl("public, max-age=300");
            headers.setETag(EntityTags.of(body).substring(2));
        });
    }
}
