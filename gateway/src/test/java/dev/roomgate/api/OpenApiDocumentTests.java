package dev.roomgate.api;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.roomgate.schema.FleetDocument;
import dev.roomgate.schema.Participant;
import dev.roomgate.schema.ProviderError;
import dev.roomgate.schema.ProviderResult;
import dev.roomgate.schema.ProviderStatus;
import dev.roomgate.schema.ProviderType;
import dev.roomgate.schema.Room;
import dev.roomgate.schema.RoomDocument;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document says what the code does: same statuses, same types, same fields. */
class OpenApiDocumentTests {

    private static Map<String, Object> schemas;

    private static Map<String, Object> paths;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (InputStream in = OpenApiDocumentTests.class.getResourceAsStream("/openapi/roomgate.yaml")) {
            Map<String, Object> document = new Yaml().load(in);
            schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
            paths = (Map<String, Object>) document.get("paths");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String name) {
        return (Map<String, Object>) schemas.get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> properties(String name) {
        return List.copyOf(((Map<String, Object>) schema(name).get("properties")).keySet());
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    @Test
    void statusesAndTypesMatchTheEnums() {
        assertThat(schema("ProviderStatus").get("enum"))
            .isEqualTo(Arrays.stream(ProviderStatus.values()).map(ProviderStatus::wireName).toList());
        assertThat(schema("ProviderType").get("enum"))
            .isEqualTo(Arrays.stream(ProviderType.values()).map(ProviderType::wireName).toList());
    }

    @Test
    void schemasListExactlyTheRecordFields() {
        assertThat(properties("RoomDocument")).containsExactlyElementsOf(components(RoomDocument.class));
        assertThat(properties("FleetDocument")).containsExactlyElementsOf(components(FleetDocument.class));
        assertThat(properties("Room")).containsExactlyElementsOf(components(Room.class));
        assertThat(properties("Participant")).containsExactlyElementsOf(components(Participant.class));
        assertThat(properties("ProviderResult")).containsExactlyElementsOf(components(ProviderResult.class));
        assertThat(properties("ProviderError")).containsExactlyElementsOf(components(ProviderError.class));
        assertThat(properties("Problem")).containsExactlyElementsOf(components(Problem.class));
    }

    /**
     * Every endpoint the security chain lets through is documented, and every documented path is an endpoint: one
     * with a permission, or one of the public paths of the document itself.
     */
    @Test
    void thePathsAreExactlyTheEndpoints() {
        List<java.util.regex.Pattern> documented = paths.keySet().stream()
            .map(path -> java.util.regex.Pattern.compile(path.replaceAll("\\{[^}]+}", "[^/]+")))
            .toList();
        for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
            assertThat(documented).as(endpoint.pattern())
                .anyMatch(path -> path.matcher(endpoint.example()).matches());
        }
        assertThat(paths.keySet()).containsAll(Endpoints.PUBLIC);
        org.springframework.web.util.pattern.PathPatternParser parser =
                new org.springframework.web.util.pattern.PathPatternParser();
        for (String path : paths.keySet()) {
            if (Endpoints.PUBLIC.contains(path) || path.startsWith(WebhookHandler.PREFIX)) {
                continue;
            }
            String example = path.replaceAll("\\{[^}]+}", "room01");
            assertThat(Endpoints.ALL).as(path).anyMatch(endpoint -> parser.parse(endpoint.pattern())
                .matches(org.springframework.http.server.PathContainer.parsePath(example)));
        }
    }

    @Test
    void everyRoomFieldIsRequiredBecauseNullsAreSentNotOmitted() {
        assertThat(schema("Room").get("required")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactlyInAnyOrderElementsOf(components(Room.class));
    }
}
