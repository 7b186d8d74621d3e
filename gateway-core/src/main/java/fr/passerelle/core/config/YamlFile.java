package fr.passerelle.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * One YAML file read into a Jackson tree, with the line of every node. The tree is built from the parser's
 * tokens so that each key and list item keeps the line the parser saw it on, and a key written twice is
 * reported instead of silently overwritten.
 *
 * <p>Paths look like {@code server.port}, {@code routes[2].to[0].partner}; the root is the empty path.
 */
final class YamlFile {
    static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path path;
    private final JsonNode root;
    private final Map<String, Integer> lines;
    private final Map<String, String> written;

    private YamlFile(Path path, JsonNode root, Map<String, Integer> lines, Map<String, String> written) {
        this.path = path;
        this.root = root;
        this.lines = Map.copyOf(lines);
        this.written = Map.copyOf(written);
    }

    /**
     * Reads {@code file}, reporting to {@code problems} a missing or unreadable file, a syntax error (with the
     * parser's line) and duplicate keys.
     *
     * @return the file, or empty when it could not be read at all
     */
    static Optional<YamlFile> read(Path file, Problems problems) {
        return ConfigFiles.readText(file, problems).flatMap(text -> parse(file, text, problems));
    }

    /** As {@link #read(Path, Problems)}, for the file {@code name} of a configuration's versioned files. */
    static Optional<YamlFile> read(ConfigFiles files, String name, Problems problems) {
        return files.text(name, problems).flatMap(text -> parse(files.path(name), text, problems));
    }

    static Optional<YamlFile> parse(Path file, String text, Problems problems) {
        Builder builder = new Builder(file, problems);
        try (Reader reader = new StringReader(text);
                JsonParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.error(file, 0, "file is empty", "write the settings this file should hold");
                return Optional.empty();
            }
            JsonNode root = builder.value(parser, "");
            if (parser.nextToken() != null) {
                problems.error(
                        file,
                        parser.currentTokenLocation().getLineNr(),
                        "a second YAML document starts here (expected one document per file)",
                        "remove the '---' separator and merge the documents");
            }
            return Optional.of(new YamlFile(file, root, builder.lines, builder.written));
        } catch (JsonProcessingException e) {
            reportSyntax(file, e, problems);
            return Optional.empty();
        } catch (IOException e) {
            problems.error(file, 0, "file cannot be read (" + e.getClass().getSimpleName() + ")", "");
            return Optional.empty();
        }
    }

    /** The parser's own description and line; never the snippet of the file, which may hold a password. */
    private static void reportSyntax(Path file, JsonProcessingException e, Problems problems) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
            problems.error(
                    file,
                    marked.getProblemMark().getLine() + 1,
                    "YAML syntax error: " + context + marked.getProblem(),
                    "check the indentation, colons and quotes on this line and the one before");
            return;
        }
        JsonLocation location = e.getLocation();
        String first = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
        problems.error(
                file,
                location == null ? 0 : Math.max(0, location.getLineNr()),
                "YAML syntax error: " + first,
                "check the indentation, colons and quotes on this line and the one before");
    }

    Path path() {
        return path;
    }

    JsonNode root() {
        return root;
    }

    /** The line of the node at {@code path}, or of its nearest ancestor that has one; 1 at worst. */
    int line(String nodePath) {
        String p = nodePath;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    /** A scalar exactly as written (so {@code 01} stays {@code 01}, not the number 1). */
    Optional<String> written(String nodePath) {
        return Optional.ofNullable(written.get(nodePath));
    }

    private static final class Builder {
        private final Path file;
        private final Problems problems;
        private final Map<String, Integer> lines = new HashMap<>();
        private final Map<String, String> written = new HashMap<>();

        Builder(Path file, Problems problems) {
            this.file = file;
            this.problems = problems;
        }

        JsonNode value(JsonParser parser, String path) throws IOException {
            lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
            JsonToken token = parser.currentToken();
            switch (token) {
                case START_OBJECT:
                    return object(parser, path);
                case START_ARRAY:
                    return array(parser, path);
                case VALUE_NULL:
                    return NODES.nullNode();
                default:
                    written.put(path, parser.getText());
                    return scalar(parser, token);
            }
        }

        private ObjectNode object(JsonParser parser, String path) throws IOException {
            ObjectNode object = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                int line = parser.currentTokenLocation().getLineNr();
                parser.nextToken();
                if (object.has(name)) {
                    problems.error(
                            file,
                            line,
                            "key '" + child + "' appears twice (first on line " + lines.get(child) + ")",
                            "keep one of them");
                    new Builder(file, problems).value(parser, child);
                    continue;
                }
                lines.put(child, line);
                object.set(name, value(parser, child));
            }
            return object;
        }

        private ArrayNode array(JsonParser parser, String path) throws IOException {
            ArrayNode array = NODES.arrayNode();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(parser, path + "[" + index++ + "]"));
            }
            return array;
        }

        private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                default -> NODES.textNode(parser.getText());
            };
        }
    }
}
