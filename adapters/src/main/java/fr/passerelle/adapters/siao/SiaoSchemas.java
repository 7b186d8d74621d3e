package fr.passerelle.adapters.siao;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.SchemaProblems;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;

/**
 * The three compiled JSON Schemas of the siao-json format, read once from the class path
 * ({@code formats/siao-json/}). Immutable; safe to use from several threads.
 */
final class SiaoSchemas {
    /** Where the adapters jar packs the schemas; {@code config/schemas/formats/siao-json/} holds a copy. */
    static final String RESOURCES = "formats/siao-json/";

    /** The documents of the format, by schema file and body key. */
    enum Document {
        SHELTER_REQUEST("shelter.request.schema.json", "demande"),
        DIFFICULTY_REPORT("difficulty.report.schema.json", "signalementDifficulte"),
        ANSWER("answer.schema.json", "reponse");

        private final String file;
        private final String body;

        Document(String file, String body) {
            this.file = file;
            this.body = body;
        }

        String file() {
            return file;
        }

        String body() {
            return body;
        }

        /** The document whose body key is {@code body}. */
        static Document withBody(String body) {
            for (Document document : values()) {
                if (document.body.equals(body)) {
                    return document;
                }
            }
            throw new IllegalArgumentException("no siao-json document has the body " + body);
        }
    }

    private record Entry(JsonNode raw, JsonSchema compiled) {}

    private final Map<Document, Entry> entries;

    private SiaoSchemas(Map<Document, Entry> entries) {
        this.entries = entries;
    }

    /** @throws GatewayException {@code config_invalid} naming the resource that is missing or does not compile */
    static SiaoSchemas load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // Only date and uuid formats are used: e-mail addresses and date-times are patterns in these schemas.
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        ObjectMapper json = new ObjectMapper();
        Map<Document, Entry> entries = new EnumMap<>(Document.class);
        for (Document document : Document.values()) {
            String resource = RESOURCES + document.file();
            try (InputStream in = SiaoSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new GatewayException(
                            ErrorCode.CONFIG_INVALID,
                            "JSON Schema classpath:" + resource
                                    + " is missing from the adapters jar (expected one per siao-json document)");
                }
                JsonNode raw = json.readTree(in);
                JsonSchema compiled = factory.getSchema(raw, config);
                compiled.initializeValidators();
                entries.put(document, new Entry(raw, compiled));
            } catch (IOException | JsonSchemaException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "JSON Schema classpath:" + resource + " cannot be read or compiled",
                        e);
            }
        }
        return new SiaoSchemas(entries);
    }

    /**
     * @throws GatewayException {@code format_invalid}: the message counts the problems and names the first, the
     *                          details name each one by its JSON path and what the schema expects, never a value
     */
    void check(Document document, JsonNode node) {
        Entry entry = entries.get(document);
        SchemaProblems findings = SchemaProblems.of(entry.compiled().validate(node), entry.raw());
        if (!findings.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.FORMAT_INVALID,
                    "the siao-json " + document.body() + " does not match its schema " + findings.summary() + ": "
                            + findings.lines().get(0),
                    findings.lines());
        }
    }
}
