package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Turns the validator library's findings into lines safe to show and to log: each names the JSON path and what
 * the schema expects, built from the keyword and the schema alone. The library's own messages are never used:
 * for {@code enum}, {@code const}, {@code pattern} or {@code format} some of them repeat the offending value,
 * which may be personal data. Public for the partner formats that validate their own JSON Schemas (siao-json).
 *
 * @param count how many distinct problems there are
 * @param lines their descriptions, possibly shortened to {@link #MAX_LINES} and a line counting the rest
 */
public record SchemaProblems(int count, List<String> lines) {
    /** More lines than this help nobody and let a hostile document grow our error responses. */
    static final int MAX_LINES = 50;

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    public SchemaProblems {
        lines = List.copyOf(lines);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** "(1 problem)", "(3 problems)". */
    public String summary() {
        return "(" + count + (count == 1 ? " problem)" : " problems)");
    }

    /** One sorted line per distinct problem, at most {@link #MAX_LINES} and then a line counting the rest. */
    public static SchemaProblems of(Collection<ValidationMessage> messages, JsonNode schemaRoot) {
        Set<String> distinct = new TreeSet<>();
        for (ValidationMessage message : messages) {
            distinct.add(describe(message, schemaRoot));
        }
        List<String> shown = new ArrayList<>(distinct.stream().limit(MAX_LINES).toList());
        if (distinct.size() > MAX_LINES) {
            shown.add("… and " + (distinct.size() - MAX_LINES) + " more problems");
        }
        return new SchemaProblems(distinct.size(), shown);
    }

    private static String describe(ValidationMessage message, JsonNode schemaRoot) {
        String keyword = message.getType();
        JsonNode value = keywordValue(message, schemaRoot);
        String path = path(message.getInstanceLocation());
        return switch (keyword) {
            case "required" -> path + "." + safeName(message.getProperty()) + ": is required";
            case "additionalProperties" -> path + "." + safeName(message.getProperty())
                    + ": is not allowed here (expected only: " + allowedProperties(message, schemaRoot) + ")";
            case "false" -> path + ": is not allowed here";
            case "type" -> path + ": must be " + typeName(value);
            case "const" -> path + ": must be " + value;
            case "enum" -> path + ": must be one of: " + list(value);
            case "pattern" -> path + ": must match the pattern " + value.asText();
            case "format" -> path + ": must be " + format(value.asText());
            case "minLength" -> path + ": must be at least " + characters(value.asInt()) + " long";
            case "maxLength" -> path + ": must be at most " + characters(value.asInt()) + " long";
            case "minimum" -> path + ": must be at least " + value.asText();
            case "maximum" -> path + ": must be at most " + value.asText();
            case "exclusiveMinimum" -> path + ": must be more than " + value.asText();
            case "exclusiveMaximum" -> path + ": must be less than " + value.asText();
            case "minItems" -> path + ": must hold at least " + items(value.asInt());
            case "maxItems" -> path + ": must hold at most " + items(value.asInt());
            case "uniqueItems" -> path + ": must not hold the same item twice";
            default -> path + ": does not satisfy the schema keyword '" + safeName(keyword) + "'";
        };
    }

    /** The keyword's value in our own schema, located by the message's schema location. */
    private static JsonNode keywordValue(ValidationMessage message, JsonNode schemaRoot) {
        JsonNode found = schemaRoot.at(pointer(message.getSchemaLocation().getFragment(), 0));
        return found.isMissingNode() && message.getSchemaNode() != null ? message.getSchemaNode() : found;
    }

    private static String allowedProperties(ValidationMessage message, JsonNode schemaRoot) {
        JsonNode properties = schemaRoot
                .at(pointer(message.getSchemaLocation().getFragment(), 1))
                .path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** A JSON pointer to the fragment, without its last {@code dropLast} segments. */
    private static String pointer(JsonNodePath fragment, int dropLast) {
        if (fragment == null) {
            return "";
        }
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < fragment.getNameCount() - dropLast; i++) {
            pointer.append('/')
                    .append(String.valueOf(fragment.getElement(i))
                            .replace("~", "~0")
                            .replace("/", "~1"));
        }
        return pointer.toString();
    }

    /** {@code $.subject.languages[0]}: names come from the schema, but are checked all the same. */
    private static String path(JsonNodePath location) {
        StringBuilder path = new StringBuilder("$");
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append('.').append(safeName(String.valueOf(element)));
            }
        }
        return path.toString();
    }

    // A property name is structure, not data, and helps find a typo; one that does not look like a name is hidden.
    private static String safeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches() ? name : "?";
    }

    private static String typeName(JsonNode type) {
        if (type.isArray()) {
            return StreamSupport.stream(type.spliterator(), false)
                    .map(t -> typeName(t))
                    .collect(Collectors.joining(" or "));
        }
        return switch (type.asText()) {
            case "object" -> "an object";
            case "array" -> "an array";
            case "integer" -> "an integer";
            case "null" -> "null";
            default -> "a " + type.asText();
        };
    }

    private static String format(String format) {
        return switch (format) {
            case "date" -> "a date such as 2025-07-11 (RFC 3339 full-date)";
            case "date-time" -> "a date-time with its offset such as 2025-07-11T09:30:00+02:00 (RFC 3339)";
            case "email" -> "an e-mail address such as name@example.org";
            case "uuid" -> "a UUID such as 0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21";
            default -> "in the format '" + safeName(format) + "'";
        };
    }

    private static String list(JsonNode values) {
        return StreamSupport.stream(values.spliterator(), false)
                .map(JsonNode::asText)
                .collect(Collectors.joining(", "));
    }

    private static String characters(int n) {
        return n + (n == 1 ? " character" : " characters");
    }

    private static String items(int n) {
        return n + (n == 1 ? " item" : " items");
    }
}
