package fr.passerelle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node of a {@link YamlFile} with its path and line, and typed reads that report what is wrong to
 * {@link Problems} instead of throwing: a check goes on after the first problem.
 */
final class YamlNode {
    private final YamlFile file;
    private final String path;
    private final JsonNode value;
    private final Problems problems;
    /** Paths of the file's nodes that broke its schema: reported already, so read as left out. */
    private final Set<String> invalid;

    YamlNode(YamlFile file, String path, JsonNode value, Problems problems) {
        this(file, path, value, problems, Set.of());
    }

    private YamlNode(YamlFile file, String path, JsonNode value, Problems problems, Set<String> invalid) {
        this.file = file;
        this.path = path;
        this.value = value;
        this.problems = problems;
        this.invalid = invalid;
    }

    /**
     * This root as a schema left it: the nodes at {@code invalid} paths were reported by {@link ConfigSchema} and
     * read as left out, so that no problem is reported twice.
     */
    YamlNode checkedAgainst(ConfigSchema schema) {
        return new YamlNode(file, path, value, problems, Set.copyOf(schema.validate(this)));
    }

    static YamlNode root(YamlFile file, Problems problems) {
        return new YamlNode(file, "", file.root(), problems);
    }

    Path file() {
        return file.path();
    }

    YamlFile yamlFile() {
        return file;
    }

    Problems problems() {
        return problems;
    }

    String path() {
        return path;
    }

    int line() {
        return file.line(path);
    }

    JsonNode value() {
        return value;
    }

    void error(String message, String fix) {
        problems.error(file.path(), line(), message, fix);
    }

    /** An error on another line of the same file, such as a setting an environment variable overrides. */
    void errorAt(int line, String message, String fix) {
        problems.error(file.path(), line, message, fix);
    }

    void warning(String message, String fix) {
        problems.warning(file.path(), line(), message, fix);
    }

    /** What a message calls this node: its path, or "the file" at the root. */
    String name() {
        return path.isEmpty() ? "the file" : "'" + path + "'";
    }

    /** Whether this node is a mapping; reports a wrong type when it is not. */
    boolean requireObject(String example) {
        if (value.isObject()) {
            return true;
        }
        error(name() + " must be a mapping of keys, found " + found(), "write it as " + example);
        return false;
    }

    /** Reports every key outside {@code known}, suggesting the closest known key. */
    void allowKeys(Set<String> known) {
        if (!value.isObject()) {
            return;
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!known.contains(key)) {
                child(key)
                        .error(
                                "unknown key '" + key + "' in " + name() + " (expected one of: "
                                        + String.join(", ", known) + ")",
                                Suggest.didYouMean(key, known, "remove it or correct its name"));
            }
        }
    }

    /** The child under {@code key}, absent when the key is missing or has no value. */
    Optional<YamlNode> field(String key) {
        JsonNode child = value.get(key);
        return child == null || child.isNull() || invalid.contains(childPath(key))
                ? Optional.empty()
                : Optional.of(child(key));
    }

    /** Like {@link #field} but reports a missing key, with an example of what to write. */
    Optional<YamlNode> required(String key, String example) {
        Optional<YamlNode> child = field(key);
        if (child.isEmpty()) {
            String full = path.isEmpty() ? key : path + "." + key;
            error(
                    "missing required key '" + full + "'" + (value.has(key) ? " (it has no value)" : ""),
                    "add " + example);
        }
        return child;
    }

    /** The entry under {@code key}, whether it has a value or not: where to report a problem with the key itself. */
    YamlNode child(String key) {
        return new YamlNode(file, childPath(key), value.get(key), problems, invalid);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A scalar as written; reports a mapping or list. Used for names, ids and secrets: the value is not shown. */
    Optional<String> text() {
        if (value.isContainerNode()) {
            error(name() + " must be a single value, found " + found(), "write one value on the line");
            return Optional.empty();
        }
        return Optional.of(file.written(path).orElse(value.asText()));
    }

    /** A whole number in {@code [min, max]}; reports another type or a number out of range. */
    Optional<Integer> integer(long min, long max, String example) {
        if (!value.isIntegralNumber()) {
            error(name() + " must be a whole number, found " + found(), "write a number such as " + example);
            return Optional.empty();
        }
        if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            error(
                    name() + " is " + value.asText() + " (expected: " + min + "-" + max + ")",
                    "write a number from " + min + " to " + max);
            return Optional.empty();
        }
        return Optional.of((int) value.asLong());
    }

    Optional<Boolean> bool() {
        if (!value.isBoolean()) {
            error(name() + " must be true or false, found " + found(), "write true or false");
            return Optional.empty();
        }
        return Optional.of(value.asBoolean());
    }

    /** The items of a list; reports another type. */
    Optional<List<YamlNode>> items(String example) {
        if (!value.isArray()) {
            error(name() + " must be a list, found " + found(), "write it as " + example);
            return Optional.empty();
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!invalid.contains(path + "[" + i + "]")) {
                items.add(new YamlNode(file, path + "[" + i + "]", value.get(i), problems, invalid));
            }
        }
        return Optional.of(items);
    }

    /** The texts of a list of scalars; items of another type are reported and skipped. */
    Optional<List<Located>> texts(String example) {
        return items(example).map(items -> items.stream()
                .flatMap(item -> item.text().map(t -> new Located(item, t)).stream())
                .toList());
    }

    /** What was found, for a wrong-type message; a scalar is shown shortened and sanitised. */
    String found() {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isNull()) {
            return "nothing";
        }
        String shown = file.written(path).orElse(value.asText());
        shown = shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
        return (value.isNumber() ? "the number " : value.isBoolean() ? "" : "the text ") + "'"
                + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** A scalar text and the node it came from, to report a problem at its line. */
    record Located(YamlNode node, String text) {}
}
