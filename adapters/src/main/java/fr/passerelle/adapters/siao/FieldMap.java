package fr.passerelle.adapters.siao;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The translation of one referral type between its canonical document and its siao-json document: a table of
 * field pairs, read one way to render and the other way to read, so that each direction reads back exactly what
 * the other writes. Paths are dotted; an absent field is left absent. Immutable and thread-safe.
 */
final class FieldMap {
    /** How a pair of fields translates. */
    enum Kind {
        /** The canonical {@code type}: implied by the siao-json document's body key. */
        TYPE,
        /** A scalar or an array of scalars, copied, its codes translated when the field has a code list. */
        VALUE,
        /** An object: kept even when empty, its fields listed separately. */
        OBJECT,
        /** An array of objects, each translated by the field's item table. */
        ARRAY
    }

    /** One pair of fields; item paths are relative to an array element. */
    record Field(Kind kind, String canonical, String siao, Optional<CodeList> codes, List<Field> items) {
        Field {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(canonical, "canonical");
            Objects.requireNonNull(codes, "codes");
            items = List.copyOf(items);
        }
    }

    static Field typeField() {
        return new Field(Kind.TYPE, "type", "", Optional.empty(), List.of());
    }

    static Field value(String canonical, String siao) {
        return new Field(Kind.VALUE, canonical, siao, Optional.empty(), List.of());
    }

    static Field coded(String canonical, String siao, CodeList codes) {
        return new Field(Kind.VALUE, canonical, siao, Optional.of(codes), List.of());
    }

    static Field object(String canonical, String siao) {
        return new Field(Kind.OBJECT, canonical, siao, Optional.empty(), List.of());
    }

    static Field array(String canonical, String siao, Field... items) {
        return new Field(Kind.ARRAY, canonical, siao, Optional.empty(), List.of(items));
    }

    private enum Direction {
        TO_SIAO,
        TO_CANONICAL;

        String from(Field field) {
            return this == TO_SIAO ? field.canonical() : field.siao();
        }

        String to(Field field) {
            return this == TO_SIAO ? field.siao() : field.canonical();
        }

        String translate(CodeList codes, String code) {
            return this == TO_SIAO ? codes.toSiao(code) : codes.toCanonical(code);
        }

        // Both directions read validated documents: a bad shape going out is our fault, coming in the sender's.
        GatewayException failure(String path, String problem) {
            return this == TO_SIAO
                    ? new GatewayException(ErrorCode.INTERNAL, "canonical field " + path + " " + problem)
                    : new GatewayException(ErrorCode.FORMAT_INVALID, "siao-json field $." + path + " " + problem);
        }
    }

    private final String type;
    private final String body;
    private final List<Field> fields;
    private final Set<String> canonicalPaths;

    /**
     * @param type   the canonical type code, such as {@code shelter.request}
     * @param body   the siao-json document's body key, such as {@code demande}
     * @param fields the pairs, parents before their fields: the order of the rendered documents
     */
    FieldMap(String type, String body, List<Field> fields) {
        this.type = Objects.requireNonNull(type, "type");
        this.body = Objects.requireNonNull(body, "body");
        this.fields = List.copyOf(fields);
        Set<String> paths = new LinkedHashSet<>();
        collect(this.fields, "", paths);
        this.canonicalPaths = Collections.unmodifiableSet(paths);
    }

    List<Field> fields() {
        return fields;
    }

    String type() {
        return type;
    }

    String body() {
        return body;
    }

    /** Every canonical path the table translates, dotted, array items adding no segment. */
    Set<String> canonicalPaths() {
        return canonicalPaths;
    }

    /** @throws GatewayException {@code format_invalid} if a value has a shape the schema should have refused */
    ObjectNode toCanonical(ObjectNode siao) {
        return copy(siao, fields, Direction.TO_CANONICAL);
    }

    /**
     * @return the siao-json document without its envelope: {@code version} and the body
     * @throws GatewayException {@code internal} if the document declares another type, or holds a field the table
     *                          does not translate or a code without an equivalent: dropping it would lose data
     */
    ObjectNode toSiao(ObjectNode canonical) {
        JsonNode declared = canonical.path("type");
        if (!declared.isMissingNode() && !type.equals(declared.asText())) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "the referral to render as a " + type + " declares another type (expected: " + type + ")");
        }
        refuseUntranslated(canonical, "");
        ObjectNode siao = copy(canonical, fields, Direction.TO_SIAO);
        child(siao, body);
        return siao;
    }

    private ObjectNode copy(JsonNode source, List<Field> table, Direction direction) {
        ObjectNode target = JsonNodeFactory.instance.objectNode();
        for (Field field : table) {
            if (field.kind() == Kind.TYPE) {
                if (direction == Direction.TO_CANONICAL) {
                    target.put(field.canonical(), type);
                }
                continue;
            }
            String from = direction.from(field);
            JsonNode value = at(source, from);
            if (value.isMissingNode()) {
                continue;
            }
            switch (field.kind()) {
                case VALUE -> set(target, direction.to(field), translate(value, field, direction));
                case OBJECT -> {
                    if (!value.isObject()) {
                        throw direction.failure(from, "must be an object");
                    }
                    ensure(target, direction.to(field));
                }
                case ARRAY -> {
                    if (!value.isArray()) {
                        throw direction.failure(from, "must be an array");
                    }
                    ArrayNode items = JsonNodeFactory.instance.arrayNode();
                    for (JsonNode element : value) {
                        if (!element.isObject()) {
                            throw direction.failure(from, "must hold objects");
                        }
                        items.add(copy(element, field.items(), direction));
                    }
                    set(target, direction.to(field), items);
                }
                default -> throw new IllegalStateException("unhandled kind " + field.kind());
            }
        }
        return target;
    }

    private static JsonNode translate(JsonNode value, Field field, Direction direction) {
        if (field.codes().isEmpty()) {
            return value.deepCopy();
        }
        CodeList codes = field.codes().get();
        if (value.isTextual()) {
            return TextNode.valueOf(direction.translate(codes, value.textValue()));
        }
        if (value.isArray()) {
            ArrayNode translated = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw direction.failure(direction.from(field), "must hold " + codes.name() + " codes");
                }
                translated.add(direction.translate(codes, element.textValue()));
            }
            return translated;
        }
        throw direction.failure(
                direction.from(field),
                "must be a " + codes.name() + " code, not "
                        + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private void refuseUntranslated(JsonNode node, String prefix) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                refuseUntranslated(element, prefix);
            }
            return;
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String path = prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey();
            if (!canonicalPaths.contains(path)) {
                throw new GatewayException(
                        ErrorCode.INTERNAL,
                        "the " + type + " field " + path + " has no place in the siao-json format (expected only: "
                                + String.join(", ", canonicalPaths) + ")");
            }
            if (property.getValue().isContainerNode()) {
                refuseUntranslated(property.getValue(), path);
            }
        }
    }

    private static void collect(List<Field> table, String prefix, Set<String> paths) {
        for (Field field : table) {
            String path = prefix + field.canonical();
            paths.add(path);
            collect(field.items(), path + ".", paths);
        }
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode found = node;
        for (String name : path.split("\\.")) {
            found = found.path(name);
        }
        return found;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = dot < 0 ? root : ensure(root, path.substring(0, dot));
        parent.set(path.substring(dot + 1), value);
    }

    private static ObjectNode ensure(ObjectNode root, String path) {
        ObjectNode node = root;
        for (String name : path.split("\\.")) {
            node = child(node, name);
        }
        return node;
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode existing ? existing : parent.putObject(name);
    }
}
