package dev.roomgate.provider;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.schema.ProviderStatus;

/**
 * Tolerant readers for the JSON the providers really send: int64 as strings, flags as 0/1, numbers above 2^53.
 * A value of the wrong shape is an {@code invalid_response}, never an exception of another kind.
 */
public final class WireJson {

    private WireJson() {
    }

    public static JsonNode parse(JsonMapper mapper, byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw invalid("the provider's answer is not a JSON object");
            }
            return node;
        }
        catch (JacksonException ex) {
            throw invalid("the provider's answer is not valid JSON");
        }
    }

    public static ProviderException invalid(String message) {
        return ProviderException.of(ProviderStatus.INVALID_RESPONSE, "UPSTREAM_INVALID_RESPONSE", message).build();
    }

    public static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    /** A string, or the exact digits of an integer; null when absent. */
    public static String text(JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isBoolean() || node.isNumber()) {
            return node.asString();
        }
        throw invalid("expected a string but found " + node.getNodeType());
    }

    /** A JSON number or a numeric string (how protojson sends int64); null when absent or empty. */
    public static Long integer(JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isString()) {
            String digits = node.stringValue().strip();
            if (digits.isEmpty()) {
                return null;
            }
            try {
                return new BigInteger(digits).longValueExact();
            }
            catch (NumberFormatException | ArithmeticException ex) {
                throw invalid("expected an integer string");
            }
        }
        throw invalid("expected an integer but found " + node.getNodeType());
    }

    /** An int-sized count; null when absent. */
    public static Integer count(JsonNode node) {
        Long value = integer(node);
        if (value == null) {
            return null;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw invalid("count out of range");
        }
        return value.intValue();
    }

    /** A boolean sent as true/false, 0/1 or their string forms; null when absent. */
    public static Boolean flag(JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.isNumber() || node.isString() ? node.asString().strip() : "";
        switch (text) {
            case "1", "true":
                return true;
            case "0", "false":
                return false;
            default:
                throw invalid("expected a flag but found " + node.getNodeType());
        }
    }

    /** Unix seconds to an instant; 0 (protojson's unset) and absent are null. */
    public static Instant epochSeconds(JsonNode node) {
        Long seconds = integer(node);
        return seconds == null || seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }

    /** Unix milliseconds to an instant; 0 and absent are null. */
    public static Instant epochMillis(JsonNode node) {
        Long millis = integer(node);
        return millis == null || millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    /** An ISO-8601 timestamp with offset; null when absent or empty. */
    public static Instant isoInstant(JsonNode node) {
        String text = text(node);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return IsoTimestamps.parse(text);
        }
        catch (DateTimeParseException ex) {
            throw invalid("expected an ISO-8601 timestamp");
        }
    }

    /**
     * Only the allowed fields of an object, in the object's order: the allow-list of provider extensions, so that
     * no upstream field reaches an answer just because nobody knew it. A path is a field name, or names joined by
     * dots for fields inside an object ({@code "deviceInfo.sdkType"}). An allowed field holding an object keeps only
     * its allowed children (objects in an array likewise); scalars and arrays of scalars are copied verbatim.
     */
    public static Map<String, Object> allowedFields(JsonNode object, Set<String> paths) {
        Map<String, Object> picked = new LinkedHashMap<>();
        if (object != null && object.isObject()) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (paths.contains(field.getKey())) {
                    picked.put(field.getKey(), allowedOnly(field.getValue(), field.getKey(), paths));
                }
            }
        }
        return picked;
    }

    private static JsonNode allowedOnly(JsonNode value, String path, Set<String> paths) {
        if (value.isObject()) {
            ObjectNode kept = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String child = path + "." + field.getKey();
                if (paths.contains(child)) {
                    kept.set(field.getKey(), allowedOnly(field.getValue(), child, paths));
                }
            }
            return kept;
        }
        if (value.isArray()) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            value.values().forEach(element -> kept.add(allowedOnly(element, path, paths)));
            return kept;
        }
        return value;
    }
}
