package fr.passerelle.adapters.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of a canonical document as its JSON Schema declares it: for each field, its JSON kind, and for an
 * object its fields in the order the schema lists them. It tells the codec which XML text becomes a JSON number
 * or boolean, which repeated element becomes an array, and in which order to write elements.
 *
 * @param kind       the JSON kind
 * @param schema     the field's schema, its {@code $ref} resolved: for describing what a value must be
 * @param properties an object's fields, in schema order; empty for other kinds
 * @param items      an array's item shape; null for other kinds
 */
record Shape(Kind kind, JsonNode schema, Map<String, Shape> properties, Shape items) {
    /** Where the core jar packs the canonical schemas (see {@code ReferralValidator.fromClasspath}). */
    static final String CLASSPATH_SCHEMAS = "passerelle/config/schemas/";

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind {
        OBJECT,
        ARRAY,
        STRING,
        INTEGER,
        BOOLEAN
    }

    /**
     * Reads the canonical JSON Schema of {@code type} from the class path.
     *
     * @throws GatewayException {@code config_invalid} if the schema is missing or declares a kind the XML
     *                          formats cannot carry
     */
    static Shape of(ReferralType type) {
        String resource = CLASSPATH_SCHEMAS + type.code() + ".schema.json";
        try (InputStream in = Shape.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "canonical JSON Schema " + resource
                                + " is not on the class path (expected: in the gateway-core jar)");
            }
            JsonNode root = JSON.readTree(in);
            return build(root, root, resource + "#");
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID, "canonical JSON Schema " + resource + " cannot be read", e);
        }
    }

    private static Shape build(JsonNode root, JsonNode node, String where) {
        JsonNode schema = resolve(root, node, where);
        String kind = schema.path("type").asText("");
        switch (kind) {
            case "object" -> {
                Map<String, Shape> properties = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields =
                        schema.path("properties").fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    properties.put(field.getKey(), build(root, field.getValue(), where + "/" + field.getKey()));
                }
                return new Shape(Kind.OBJECT, schema, Collections.unmodifiableMap(properties), null);
            }
            case "array" -> {
                return new Shape(Kind.ARRAY, schema, Map.of(), build(root, schema.path("items"), where + "[]"));
            }
            case "string", "integer", "boolean" -> {
                return new Shape(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), schema, Map.of(), null);
            }
            default -> throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "canonical JSON Schema " + where + " declares type '" + kind
                            + "' (expected: object, array, string, integer or boolean)");
        }
    }

    /** Follows a local {@code $ref}; the referring node's own keywords (a stricter {@code required}) are kept. */
    private static JsonNode resolve(JsonNode root, JsonNode node, String where) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        String pointer = ref.asText();
        if (!pointer.startsWith("#/")) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "canonical JSON Schema " + where + " refers to " + pointer
                            + " (expected: a local reference such as #/$defs/subject)");
        }
        JsonNode target = root.at(pointer.substring(1));
        if (target.isMissingNode()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID, "canonical JSON Schema " + where + " refers to the missing " + pointer);
        }
        ObjectNode merged = target.deepCopy();
        node.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("$ref")) {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return resolve(root, merged, where);
    }

    /** What a value of this shape must look like, for error messages: drawn from the schema, never from input. */
    String expected() {
        return switch (kind) {
            case BOOLEAN -> schema.has("const") ? schema.get("const").asText() : "true or false";
            case INTEGER -> schema.has("const")
                    ? "the integer " + schema.get("const").asText()
                    : schema.has("maximum")
                            ? "an integer from " + schema.path("minimum").asText("any") + " to "
                                    + schema.get("maximum").asText()
                            : schema.has("minimum")
                                    ? "an integer of at least "
                                            + schema.get("minimum").asText()
                                    : "an integer";
            case STRING -> {
                if (schema.has("enum")) {
                    List<String> values = new ArrayList<>();
                    schema.get("enum").forEach(value -> values.add(value.asText()));
                    yield "one of " + String.join(", ", values);
                }
                yield switch (schema.path("format").asText("")) {
                    case "date" -> "a date such as 2025-07-11";
                    case "date-time" -> "a date-time with seconds and offset such as 2025-07-11T09:30:00+02:00";
                    case "email" -> "an e-mail address";
                    case "uuid" -> "a UUID";
                    default -> schema.has("pattern")
                            ? "text matching " + schema.get("pattern").asText()
                            : "text of 1 to " + schema.path("maxLength").asText("any number of") + " characters";
                };
            }
            case OBJECT, ARRAY -> "child elements";
        };
    }
}
