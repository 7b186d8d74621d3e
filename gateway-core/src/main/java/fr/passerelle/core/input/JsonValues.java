package fr.passerelle.core.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds, in a parsed JSON document, the values the gateway cannot carry further: numbers that overflowed to an
 * infinity ({@code 1e999999}, which Jackson reads as a double without complaint and the schema validator then
 * fails on), and text that XML 1.0 cannot hold (a recipient may be an XML format). Answers JSON paths such as
 * {@code $.subject.contact[0].phone}, never a value; a property name that does not look like one shows as
 * {@code ?}. Thread-safe.
 */
public final class JsonValues {
    /** What a string may hold, in the words of the messages. */
    public static final String XML_TEXT = "text XML 1.0 can carry: no control character but tab, line feed and"
            + " carriage return, no U+FFFE or U+FFFF, no lone surrogate";

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    private JsonValues() {}

    /** The path of the first number that is not finite: out of the range of a double. */
    public static Optional<String> firstNonFiniteNumber(JsonNode node) {
        return find(node, "$", false);
    }

    /** The path of the first string, or property name, holding a character XML 1.0 cannot carry. */
    public static Optional<String> firstNonXmlText(JsonNode node) {
        return find(node, "$", true);
    }

    private static Optional<String> find(JsonNode node, String path, boolean text) {
        if (node.isContainerNode()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    Optional<String> found = find(node.get(i), path + "[" + i + "]", text);
                    if (found.isPresent()) {
                        return found;
                    }
                }
                return Optional.empty();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path + "." + safeName(field.getKey());
                if (text && !xmlText(field.getKey())) {
                    return Optional.of(child + " (its name)");
                }
                Optional<String> found = find(field.getValue(), child, text);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
        if (text) {
            return node.isTextual() && !xmlText(node.textValue()) ? Optional.of(path) : Optional.empty();
        }
        boolean infinite =
                node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue());
        return infinite ? Optional.of(path) : Optional.empty();
    }

    /** XML 1.0 {@code Char}: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
    public static boolean xmlText(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c == 0xfffe || c == 0xffff) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String safeName(String name) {
        return SAFE_NAME.matcher(name).matches() ? name : "?";
    }
}
