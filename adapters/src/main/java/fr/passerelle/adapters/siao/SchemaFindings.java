package fr.passerelle.adapters.siao;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The validator library's findings as lines safe to show and to log: the JSON path and what the schema
 * expects, built from the keyword and the schema alone, since the library's own messages repeat the offending
 * value for some keywords. (The core's own schema findings are not API; this is the siao-json format's.)
 *
 * @param count how many distinct problems there are
 * @param lines their descriptions, sorted, at most {@link #MAX_LINES} and then a line counting the rest
 */
record SchemaFindings(int count, List<String> lines) {
    /** More lines than this help nobody and let a hostile document grow the error response. */
    static final int MAX_LINES = 50;

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    SchemaFindings {
        lines = List.copyOf(lines);
    }

    static SchemaFindings of(Collection<ValidationMessage> messages, JsonNode schema) {
        TreeSet<String> distinct = new TreeSet<>();
        messages.forEach(message -> distinct.add(describe(message, schema)));
        List<String> lines = new ArrayList<>(distinct.stream().limit(MAX_LINES).toList());
        if (distinct.size() > MAX_LINES) {
            lines.add("… and " + (distinct.size() - MAX_LINES) + " more problems");
        }
        return new SchemaFindings(distinct.size(), lines);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** "(1 problem)", "(3 problems)". */
    String summary() {
        return "(" + count + (count == 1 ? " problem)" : " problems)");
    }

    private static String describe(ValidationMessage message, JsonNode schema) {
        JsonNode value = schema.at(pointer(message.getSchemaLocation().getFragment(), 0));
        if (value.isMissingNode() && message.getSchemaNode() != null) {
            value = message.getSchemaNode();
        }
        String path = path(message.getInstanceLocation());
        return switch (message.getType()) {
            case "required" -> path + "." + safeName(message.getProperty()) + ": is required";
            case "additionalProperties" -> path + "." + safeName(message.getProperty())
                    + ": is not allowed here (expected only: " + allowed(message, schema) + ")";
            case "false" -> path + ": is not allowed here";
            case "type" -> path + ": must be " + article(value.asText());
            case "const" -> path + ": must be " + value;
            case "enum" -> path + ": must be one of: " + StreamSupport.stream(value.spliterator(), false)
                    .map(JsonNode::asText).collect(Collectors.joining(", "));
            case "pattern" -> path + ": must match the pattern " + value.asText();
            case "format" -> path + ": must be " + ("date".equals(value.asText())
                    ? "a date such as 2025-07-11" : "a UUID such as 0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21");
            case "minLength" -> path + ": must be at least " + value.asInt() + " characters long";
            case "maxLength" -> path + ": must be at most " + value.asInt() + " characters long";
            case "minimum" -> path + ": must be at least " + value.asText();
            case "maximum" -> path + ": must be at most " + value.asText();
            case "minItems" -> path + ": must hold at least " + value.asInt() + " item(s)";
            case "uniqueItems" -> path + ": must not hold the same item twice";
            default -> path + ": does not satisfy the schema keyword '" + safeName(message.getType()) + "'";
        };
    }

    private static String allowed(ValidationMessage message, JsonNode schema) {
        JsonNode properties = schema.at(pointer(message.getSchemaLocation().getFragment(), 1)).path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** A JSON pointer to the schema fragment, without its last {@code dropLast} segments. */
    private static String pointer(JsonNodePath fragment, int dropLast) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; fragment != null && i < fragment.getNameCount() - dropLast; i++) {
            pointer.append('/').append(String.valueOf(fragment.getElement(i)).replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    /** {@code $.demande.menage.enfants[0].age}; a name that does not look like one is hidden. */
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

    private static String safeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches() ? name : "?";
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            default -> "a " + type;
        };
    }
}
