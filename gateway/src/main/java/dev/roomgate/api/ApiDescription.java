package dev.roomgate.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /openapi.yaml}: the OpenAPI document, on the main port and without a credential, so that clients and
 * their tools find the API where they look. It is the hand-written document the tests hold to the code (the
 * endpoints are functional routes with no annotations for springdoc to generate one from), read once at start-up.
 */
final class ApiDescription {

    static final String PATH = "/openapi.yaml";

    static final String RESOURCE = "/openapi/roomgate.yaml";

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final byte[] document;

    ApiDescription() {
        try (InputStream in = ApiDescription.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the classpath");
            }
            this.document = in.readAllBytes();
        }
        catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    Mono<ServerResponse> serve(ServerRequest request) {
        return PreparedBody.response(200, YAML, document, headers -> {
            headers.setCacheControl("public, max-age=300");
            headers.setETag(EntityTags.of(document).substring(2));
        });
    }
}
