package dev.roomgate.emulator;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON in and out for the emulators: compact output, insertion-ordered objects. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** A JSON string literal, quotes included. */
    static String quote(String text) {
        return MAPPER.writeValueAsString(text);
    }

    /** The parsed document, or null when the text is not one JSON value. */
    static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    /**
     * Compact JSON with one space added after every comma outside strings: the form protobuf-go's protojson chooses
     * for some server binaries (internal/detrand), which clients must parse like any other.
     */
    static String withSpaceAfterCommas(String compactJson) {
        StringBuilder out = new StringBuilder(compactJson.length() + compactJson.length() / 8);
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < compactJson.length(); i++) {
            char c = compactJson.charAt(i);
            out.append(c);
            if (escaped) {
                escaped = false;
            }
            else if (inString && c == '\\') {
                escaped = true;
            }
            else if (c == '"') {
                inString = !inString;
            }
            else if (!inString && c == ',') {
                out.append(' ');
            }
        }
        return out.toString();
    }
}
