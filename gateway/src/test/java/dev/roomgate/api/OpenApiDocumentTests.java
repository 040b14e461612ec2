package dev.roomgate.api;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

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

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (InputStream in = OpenApiDocumentTests.class.getResourceAsStream("/openapi/roomgate.yaml")) {
            Map<String, Object> document = new Yaml().load(in);
            schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
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
        assertThat(properties("Room")).containsExactlyElementsOf(components(Room.class));
        assertThat(properties("Participant")).containsExactlyElementsOf(components(Participant.class));
        assertThat(properties("ProviderResult")).containsExactlyElementsOf(components(ProviderResult.class));
        assertThat(properties("ProviderError")).containsExactlyElementsOf(components(ProviderError.class));
        assertThat(properties("Problem")).containsExactlyElementsOf(components(Problem.class));
    }

    @Test
    void everyRoomFieldIsRequiredBecauseNullsAreSentNotOmitted() {
        assertThat(schema("Room").get("required")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactlyInAnyOrderElementsOf(components(Room.class));
    }
}
