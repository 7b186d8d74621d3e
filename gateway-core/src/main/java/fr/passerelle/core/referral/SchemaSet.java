package fr.passerelle.core.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The nine compiled JSON Schemas, one per {@link ReferralType}, read once from a {@link Source}. Immutable; the
 * compiled schemas are safe to use from several threads.
 */
final class SchemaSet {
    /** Where schema files come from: a directory or the classpath. */
    interface Source {
        /** The file's content, or empty when there is no such file. */
        Optional<InputStream> open(String fileName) throws IOException;

        /** The file's location, for messages. */
        String describe(String fileName);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DEPTH = 32;

    private final Map<ReferralType, Entry> entries;

    private record Entry(JsonNode raw, JsonSchema compiled, SortedSet<String> fieldPaths) {}

    private SchemaSet(Map<ReferralType, Entry> entries) {
        this.entries = entries;
    }

    /** @throws GatewayException {@code config_invalid} naming the file that is missing, unreadable or not a schema */
    static SchemaSet load(Source source) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .formats(QuietFormats.all())
                        .build()));
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        // The library bundles the 2020-12 meta-schema: no network access.
        JsonSchema metaSchema = factory.getSchema(SchemaLocation.of(SchemaId.V202012), config);
        Map<ReferralType, Entry> entries = new EnumMap<>(ReferralType.class);
        for (ReferralType type : ReferralType.values()) {
            String file = fileName(type);
            JsonNode raw = read(source, file);
            checkMetaSchema(metaSchema, raw, source.describe(file));
            checkDeclaredType(raw, type, source.describe(file));
            JsonSchema compiled;
            try {
                compiled = factory.getSchema(raw, config);
                compiled.initializeValidators();
            } catch (JsonSchemaException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "JSON Schema " + source.describe(file) + " does not compile: " + e.getMessage(),
                        e);
            }
            entries.put(type, new Entry(raw, compiled, Collections.unmodifiableSortedSet(fieldPaths(raw))));
        }
        return new SchemaSet(Collections.unmodifiableMap(entries));
    }

    static String fileName(ReferralType type) {
        return type.code() + ".schema.json";
    }

    /** The safe description of every way {@code document} breaks the type's schema; empty when it matches. */
    SchemaProblems problems(ReferralType type, JsonNode document) {
        Entry entry = entries.get(type);
        return SchemaProblems.of(entry.compiled().validate(document), entry.raw());
    }

    SortedSet<String> fieldPaths(ReferralType type) {
        return entries.get(type).fieldPaths();
    }

    private static JsonNode read(Source source, String file) {
        String where = source.describe(file);
        try {
            Optional<InputStream> opened = source.open(file);
            if (opened.isEmpty()) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "JSON Schema " + where + " is missing (expected one schema per referral type: "
                                + ReferralType.codes() + ")");
            }
            try (InputStream in = opened.get()) {
                JsonNode raw = JSON.readTree(in);
                if (raw == null || !raw.isObject()) {
                    throw new GatewayException(
                            ErrorCode.CONFIG_INVALID,
                            "JSON Schema " + where + " is not a JSON object (expected a draft 2020-12 schema)");
                }
                return raw;
            }
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "JSON Schema " + where + " is not valid JSON: "
                            + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr(),
                    e);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.CONFIG_INVALID, "JSON Schema " + where + " cannot be read: " + e, e);
        }
    }

    // A misspelt keyword value ("minItems": "1") would otherwise be ignored without a word.
    private static void checkMetaSchema(JsonSchema metaSchema, JsonNode raw, String where) {
        List<String> problems = metaSchema.validate(raw).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
        if (!problems.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "JSON Schema " + where
                            + " is not a valid draft 2020-12 schema (" + problems.size()
                            + (problems.size() == 1 ? " problem)" : " problems)"),
                    problems);
        }
    }

    // A schema copied under the wrong file name would validate every document of that type against another type.
    private static void checkDeclaredType(JsonNode raw, ReferralType type, String where) {
        JsonNode declared = raw.path("properties").path("type").path("const");
        if (!declared.isTextual() || !declared.textValue().equals(type.code())) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "JSON Schema " + where
                            + " must declare properties.type.const '" + type.code() + "' (found: "
                            + (declared.isMissingNode() ? "none" : declared.toString()) + ")");
        }
    }

    private static SortedSet<String> fieldPaths(JsonNode root) {
        SortedSet<String> paths = new TreeSet<>();
        collect(root, root, "", paths, 0);
        return paths;
    }

    private static void collect(JsonNode root, JsonNode schema, String prefix, Set<String> paths, int depth) {
        if (depth > MAX_DEPTH || !schema.isObject()) {
            return;
        }
        JsonNode ref = schema.path("$ref");
        if (ref.isTextual() && ref.textValue().startsWith("#")) {
            collect(root, root.at(ref.textValue().substring(1)), prefix, paths, depth + 1);
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String path = prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey();
            paths.add(path);
            collect(root, property.getValue(), path, paths, depth + 1);
        }
        collect(root, schema.path("items"), prefix, paths, depth + 1);
        for (String branch : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode sub : schema.path(branch)) {
                collect(root, sub, prefix, paths, depth + 1);
            }
        }
        collect(root, schema.path("then"), prefix, paths, depth + 1);
        collect(root, schema.path("else"), prefix, paths, depth + 1);
    }
}
