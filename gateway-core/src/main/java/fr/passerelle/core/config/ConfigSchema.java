package fr.passerelle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schema (draft 2020-12) of one kind of configuration file, shipped in
 * {@code passerelle/config-schemas/<name>.schema.json}: the one place where a key is declared with its type, range
 * and default. Validating a file reports each problem at the line of the YAML node it concerns, in the readers'
 * {@code file:line: message (fix: ...)} form, with a fix that names the allowed keys, the range or the expected
 * type. Messages are built from the schema and the file's structure; a scalar's value is shown only where the
 * readers showed it (numbers and short texts, never in a key that may hold a secret).
 *
 * <p>A key that is written with no value ({@code key:}) counts as left out, as it always did. Immutable and
 * thread-safe.
 */
final class ConfigSchema {
    private static final String FOLDER = "passerelle/config-schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, ConfigSchema> LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final JsonNode raw;
    private final JsonSchema compiled;

    private ConfigSchema(String name, JsonNode raw, JsonSchema compiled) {
        this.name = name;
        this.raw = raw;
        this.compiled = compiled;
    }

    /** The schema {@code <name>.schema.json}, such as {@code gateway}; read once. */
    static ConfigSchema named(String name) {
        return LOADED.computeIfAbsent(name, ConfigSchema::load);
    }

    private static ConfigSchema load(String name) {
        String resource = FOLDER + name + ".schema.json";
        try (InputStream in = ConfigSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("configuration schema " + resource + " is missing from the class path");
            }
            JsonNode raw = JSON.readTree(in);
            JsonSchema compiled = FACTORY.getSchema(raw);
            compiled.initializeValidators();
            return new ConfigSchema(name, raw, compiled);
        } catch (IOException e) {
            throw new UncheckedIOException("configuration schema " + resource + " cannot be read", e);
        }
    }

    String name() {
        return name;
    }

    /**
     * Validates the tree under {@code root} and reports every problem to the file's problems.
     *
     * @return the paths of the nodes that broke the schema (of the key, for an unknown or missing key); empty when
     *         the file matches
     */
    Set<String> validate(YamlNode root) {
        Set<String> invalid = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (ValidationMessage message : compiled.validate(withoutEmptyKeys(root.value()))) {
            String path = path(message.getInstanceLocation());
            JsonNode value = root.value().at(pointer(message.getInstanceLocation(), 0));
            YamlNode node = new YamlNode(root.yamlFile(), path, value, root.problems());
            JsonNode schema = subschema(message);
            // an unknown or missing key concerns that key, not the rest of the mapping that holds it
            boolean aboutKey = message.getType().equals("additionalProperties")
                    || message.getType().equals("required");
            invalid.add(aboutKey ? (path.isEmpty() ? "" : path + ".") + message.getProperty() : path);
            // minimum and maximum are one range: say it once
            String keyword = message.getType();
            if (!reported.add(
                    path + " " + (keyword.equals("maximum") ? "minimum" : keyword) + " " + message.getProperty())) {
                continue;
            }
            report(node, keyword, message.getProperty(), schema);
        }
        return invalid;
    }

    private static void report(YamlNode node, String keyword, String property, JsonNode schema) {
        switch (keyword) {
            case "additionalProperties" -> {
                List<String> known = new ArrayList<>();
                schema.path("properties").fieldNames().forEachRemaining(known::add);
                node.child(property)
                        .error(
                                "unknown key '" + property + "' in " + node.name() + " (expected one of: "
                                        + String.join(", ", known) + ")",
                                Suggest.didYouMean(property, known, "remove it or correct its name"));
            }
            case "required" -> {
                String full = node.path().isEmpty() ? property : node.path() + "." + property;
                node.error(
                        "missing required key '" + full + "'"
                                + (node.value().has(property) ? " (it has no value)" : ""),
                        "add " + property + ": "
                                + flow(example(schema.path("properties").path(property))));
            }
            case "type" -> wrongType(node, schema);
            case "minimum", "maximum" -> {
                long min = schema.path("minimum").asLong(Long.MIN_VALUE);
                long max = schema.path("maximum").asLong(Long.MAX_VALUE);
                node.error(
                        node.name() + " is " + node.value().asText() + " (expected: " + min + "-" + max + ")",
                        "write a number from " + min + " to " + max);
            }
            case "enum" -> {
                // the values of an enum are codes of ours, never personal data: the one written is shown
                List<String> allowed = new ArrayList<>();
                schema.path("enum").forEach(value -> allowed.add(value.asText()));
                String written = node.value().isContainerNode()
                        ? node.found()
                        : "'" + node.value().asText() + "'";
                node.error(
                        node.name() + " is " + written + " (expected one of: " + String.join(", ", allowed) + ")",
                        Suggest.didYouMean(
                                node.value().asText(), allowed, "write " + node.path() + ": " + allowed.get(0)));
            }
                // a pattern's value may be a secret (a URL with its password): name the form, not the value
            case "pattern" -> node.error(
                    node.name() + " is not " + schema.path("title").asText("in the expected form") + " (expected: "
                            + flow(example(schema)) + ")",
                    "write a value such as " + flow(example(schema))
                            + (schema.path("default").asText("-").isEmpty() ? ", or leave it empty" : ""));
            default -> node.error(
                    node.name() + " does not satisfy the schema keyword '" + keyword + "'", "see the schema " + FOLDER);
        }
    }

    private static void wrongType(YamlNode node, JsonNode schema) {
        String found = node.found();
        String expected = schema.path("type").asText();
        switch (expected.equals("string") && node.value().isContainerNode() ? "scalar" : expected) {
            case "integer" -> node.error(
                    node.name() + " must be a whole number, found " + found,
                    "write a number such as " + flow(example(schema)));
            case "boolean" -> node.error(node.name() + " must be true or false, found " + found, "write true or false");
            case "array" -> node.error(
                    node.name() + " must be a list, found " + found, "write it as " + flow(example(schema)));
            case "object" -> node.error(
                    node.name() + " must be a mapping of keys, found " + found,
                    "write it as " + (schema.has("examples") ? flow(example(schema)) : "an indented block of keys"));
            case "string" -> node.error(node.name() + " must be a text, found " + found, "write it in quotes");
            default -> node.error(
                    node.name() + " must be a single value, found " + found, "write one value on the line");
        }
    }

    /** The default of the key at {@code path} ({@code delivery.senders}); fails when the schema declares none. */
    JsonNode defaultOf(String path) {
        JsonNode schema = at(path);
        if (!schema.has("default")) {
            throw new IllegalArgumentException("schema " + name + " declares no default for '" + path + "'");
        }
        return schema.get("default");
    }

    /** The values the key at {@code path} may take ({@code envelope}); empty when the schema lists none. */
    List<String> enumOf(String path) {
        List<String> values = new ArrayList<>();
        at(path).path("enum").forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The schema of the key at {@code path} ({@code limits.request_burst}); a missing node when none is declared. */
    JsonNode propertyOf(String path) {
        return at(path);
    }

    private JsonNode at(String path) {
        JsonNode schema = raw;
        for (String key : path.split("\\.")) {
            schema = schema.path("properties").path(key);
        }
        return schema;
    }

    /** The schema object that holds the failed keyword. */
    private JsonNode subschema(ValidationMessage message) {
        return raw.at(pointer(message.getSchemaLocation().getFragment(), 1));
    }

    private static JsonNode example(JsonNode schema) {
        return schema.has("examples") ? schema.path("examples").path(0) : schema.path("default");
    }

    /** A value as YAML flow style, the way the readers' examples are written: {@code {dir: ../pki}}. */
    private static String flow(JsonNode value) {
        if (value.isObject()) {
            List<String> entries = new ArrayList<>();
            value.fields().forEachRemaining(e -> entries.add(e.getKey() + ": " + flow(e.getValue())));
            return "{" + String.join(", ", entries) + "}";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(flow(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return value.asText();
    }

    /** The tree without its keys that have no value: the readers have always taken those as left out. */
    private static JsonNode withoutEmptyKeys(JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutEmptyKeys(field.getValue()));
                }
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            value.forEach(item -> copy.add(withoutEmptyKeys(item)));
            return copy;
        }
        return value;
    }

    /** The path of a node as a {@link YamlFile} names it: {@code routes[2].to[0].partner}. */
    private static String path(JsonNodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    /** A JSON pointer to {@code location}, without its last {@code dropLast} segments. */
    private static String pointer(JsonNodePath location, int dropLast) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; location != null && i < location.getNameCount() - dropLast; i++) {
            pointer.append('/')
                    .append(String.valueOf(location.getElement(i))
                            .replace("~", "~0")
                            .replace("/", "~1"));
        }
        return pointer.toString();
    }
}
