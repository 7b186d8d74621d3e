package fr.passerelle.adapters.siao;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import fr.passerelle.core.referral.ReferralType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Holds the schema files, their copies, the translation tables and the code lists together. */
class SiaoJsonSchemaFilesTest {
    private static final Path PACKED = Path.of("src", "main", "resources", "formats", "siao-json");
    private static final Path COPY =
            SiaoFiles.CONFIG.resolve("schemas").resolve("formats").resolve("siao-json");

    @Test
    void keepsIdenticalCopiesInConfigSchemas() throws IOException {
        List<String> packed = names(PACKED);

        assertThat(names(COPY))
                .isEqualTo(packed)
                .containsExactly("answer.schema.json", "difficulty.report.schema.json", "shelter.request.schema.json");
        for (String name : packed) {
            assertThat(Files.readString(COPY.resolve(name))).as(name).isEqualTo(Files.readString(PACKED.resolve(name)));
        }
    }

    @Test
    void shipsValidDraft202012Schemas() throws IOException {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012));

        for (String name : names(PACKED)) {
            assertThat(metaSchema.validate(SiaoFiles.read(PACKED.resolve(name))))
                    .as(name)
                    .isEmpty();
        }
    }

    @Test
    void translatesEveryFieldOfTheCanonicalSchemas() {
        assertThat(SiaoTables.SHELTER_REQUEST.canonicalPaths())
                .containsExactlyInAnyOrderElementsOf(SiaoFiles.VALIDATOR.fieldPaths(ReferralType.SHELTER_REQUEST));
        assertThat(SiaoTables.DIFFICULTY_REPORT.canonicalPaths())
                .containsExactlyInAnyOrderElementsOf(SiaoFiles.VALIDATOR.fieldPaths(ReferralType.DIFFICULTY_REPORT));
    }

    @Test
    void translatesEveryFieldOfTheSiaoSchemas() {
        for (FieldMap map : SiaoTables.ALL) {
            JsonNode schema = SiaoFiles.read(PACKED.resolve(map.type() + ".schema.json"));
            Set<String> declared = new TreeSet<>();
            collect(schema, schema, "", declared);
            declared.removeIf(path -> path.equals("envoi") || path.startsWith("envoi."));

            Set<String> translated = new TreeSet<>(siaoPaths(map.fields(), ""));
            translated.add(map.body());

            assertThat(translated).as(map.type()).isEqualTo(declared);
        }
    }

    @Test
    void listsTheSameCodesAsTheSchemasOnBothSides() {
        int checked = 0;
        for (FieldMap map : SiaoTables.ALL) {
            JsonNode siao = SiaoFiles.read(PACKED.resolve(map.type() + ".schema.json"));
            JsonNode canonical =
                    SiaoFiles.read(SiaoFiles.CONFIG.resolve("schemas").resolve(map.type() + ".schema.json"));
            for (FieldMap.Field field : map.fields()) {
                if (field.codes().isPresent()) {
                    CodeList codes = field.codes().get();
                    assertThat(strings(at(siao, field.siao()).path("enum")))
                            .as(field.siao())
                            .isEqualTo(codes.siaoCodes());
                    assertThat(strings(at(canonical, field.canonical()).path("enum")))
                            .as(field.canonical())
                            .isEqualTo(codes.canonicalCodes());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(11);
    }

    @Test
    void listsTheDecisionsAndMotifsOfTheAnswerSchema() {
        JsonNode answer = SiaoFiles.read(PACKED.resolve("answer.schema.json"));

        assertThat(strings(at(answer, "reponse.decision").path("enum")))
                .isEqualTo(List.copyOf(PlacementAnswers.STATUS_BY_DECISION.keySet()));
        assertThat(strings(at(answer, "reponse.motif").path("enum"))).isEqualTo(PlacementAnswers.MOTIF.siaoCodes());
    }

    private static List<String> siaoPaths(List<FieldMap.Field> fields, String prefix) {
        List<String> paths = new ArrayList<>();
        for (FieldMap.Field field : fields) {
            if (field.kind() != FieldMap.Kind.TYPE) {
                paths.add(prefix + field.siao());
                paths.addAll(siaoPaths(field.items(), prefix + field.siao() + "."));
            }
        }
        return paths;
    }

    /** The schema of a dotted property path, through $ref and array items. */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String name : path.split("\\.")) {
            node = resolve(root, node).path("properties").path(name);
        }
        node = resolve(root, node);
        return node.has("items") ? resolve(root, node.get("items")) : node;
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode ref = node.path("$ref");
        return ref.isTextual() ? root.at(ref.textValue().substring(1)) : node;
    }

    private static void collect(JsonNode root, JsonNode schema, String prefix, Set<String> paths) {
        JsonNode resolved = resolve(root, schema);
        resolved.path("properties").fieldNames().forEachRemaining(name -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            paths.add(path);
            collect(root, resolved.path("properties").path(name), path, paths);
        });
        if (resolved.has("items")) {
            collect(root, resolved.get("items"), prefix, paths);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
