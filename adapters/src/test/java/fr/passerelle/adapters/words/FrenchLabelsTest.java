package fr.passerelle.adapters.words;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.Urgency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Holds the label table and the canonical JSON Schemas together, so that the French words cannot drift again. */
class FrenchLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every field name of every canonical schema, with the schemas and paths where it stands. */
    private static final Map<String, Set<String>> FIELDS = new TreeMap<>();
    /** Every coded field, with the codes its schemas allow (enum or string const). */
    private static final Map<String, Set<String>> CODES = new TreeMap<>();

    @BeforeAll
    static void walkTheCanonicalSchemas() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../config/schemas"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".schema.json"))
                    .sorted()
                    .toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                walk(root, root, file.getFileName().toString().replace(".schema.json", ""), null);
            }
        }
        assertThat(FIELDS).as("fields found in config/schemas").hasSizeGreaterThan(100);
    }

    private static void walk(JsonNode root, JsonNode node, String path, String field) {
        if (!node.isObject()) {
            return;
        }
        if (node.has("$ref")) {
            walk(root, root.at(node.get("$ref").asText().substring(1)), path, field);
        }
        if (field != null) {
            node.path("enum").forEach(code -> CODES.computeIfAbsent(field, f -> new TreeSet<>())
                    .add(code.asText()));
            if (node.path("const").isTextual()) {
                CODES.computeIfAbsent(field, f -> new TreeSet<>())
                        .add(node.get("const").asText());
            }
        }
        node.path("properties").properties().forEach(property -> {
            FIELDS.computeIfAbsent(property.getKey(), f -> new TreeSet<>()).add(path + "." + property.getKey());
            walk(root, property.getValue(), path + "." + property.getKey(), property.getKey());
        });
        walk(root, node.path("items"), path + "[]", field);
        for (String keyword : List.of("if", "then", "else")) {
            walk(root, node.path(keyword), path, field);
        }
    }

    @Test
    void labelsEveryFieldOfEveryCanonicalSchema() {
        List<String> unlabelled = new ArrayList<>();
        FIELDS.forEach((field, where) -> {
            if (FrenchLabels.field(field).isEmpty()) {
                unlabelled.add(field + " " + where);
            }
        });

        assertThat(unlabelled)
                .as("fields without a French label in FieldLabels")
                .isEmpty();
    }

    @Test
    void labelsEveryCodeOfEveryCodedField() {
        List<String> unlabelled = new ArrayList<>();
        CODES.forEach((field, codes) -> codes.stream()
                .filter(code -> FrenchLabels.code(field, code).isEmpty())
                .forEach(code -> unlabelled.add(field + ": " + code)));

        assertThat(unlabelled).as("codes without a French label in CodeLabels").isEmpty();
    }

    @Test
    void keepsNoLabelForAFieldOrACodeTheSchemasNoLongerHave() {
        Set<String> staleFields = new TreeSet<>(FrenchLabels.fields().keySet());
        staleFields.removeAll(FIELDS.keySet());
        // A list shared by several fields (type and sourceType) must be used whole by them together.
        Map<Map<String, String>, Set<String>> used = new IdentityHashMap<>();
        FrenchLabels.codes().forEach((field, list) -> used.computeIfAbsent(list, l -> new TreeSet<>())
                .addAll(CODES.getOrDefault(field, Set.of())));
        List<String> staleCodes = new ArrayList<>();
        FrenchLabels.codes().forEach((field, list) -> list.keySet().stream()
                .filter(code -> !used.get(list).contains(code))
                .forEach(code -> staleCodes.add(field + ": " + code)));

        assertThat(staleFields).as("labels of fields no canonical schema has").isEmpty();
        assertThat(staleCodes).as("labels of codes no canonical schema allows").isEmpty();
    }

    @Test
    void labelsEveryStateAnswerDeclineReasonAndUrgency() {
        for (DeliveryState state : DeliveryState.values()) {
            assertThat(FrenchLabels.deliveryState(state))
                    .as(state.code())
                    .isNotBlank()
                    .isEqualTo(FrenchLabels.deliveryState(state.code()));
        }
        for (ReceiptStatus status : ReceiptStatus.values()) {
            assertThat(FrenchLabels.answer(status)).isEqualTo(FrenchLabels.value("status", status.code()));
            assertThat(FrenchLabels.answerAction(status)).isNotBlank();
        }
        for (DeclineReason reason : DeclineReason.values()) {
            assertThat(FrenchLabels.declineReason(reason)).isEqualTo(FrenchLabels.value("reason", reason.code()));
        }
        for (Urgency urgency : Urgency.values()) {
            assertThat(FrenchLabels.urgencyWord(urgency)).isEqualTo(FrenchLabels.value("urgency", urgency.code()));
            assertThat(FrenchLabels.urgencyMeaning(urgency)).isNotBlank();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "alias                |                          | Pseudonyme",
                "sex                  |                          | Sexe",
                "sex                  | female                   | féminin",
                "sex                  | male                     | masculin",
                "sex                  | unknown                  | non renseigné",
                "needs                | legal-aid                | aide juridique",
                "items                | rights-cpp-53-1-legal-aid | droits des victimes (art. 53-1 CPP), dont l'aide juridique",
                "items                | international-protection | protection internationale (asile, protection subsidiaire)",
                "kind                 | oqtf-with-delay          | OQTF avec délai de départ volontaire",
                "kind                 | oqtf-without-delay       | OQTF sans délai",
                "kind                 | itf                      | ITF (interdiction judiciaire du territoire)",
                "kind                 | expulsion                | expulsion",
                "kind                 | readmission              | remise à un autre État",
                "kind                 | dublin-transfer          | transfert Dublin",
                "entryBan             |                          | Interdiction de retour (IRTF)",
                "recommendation       | insertion-housing        | hébergement d'insertion",
                "administrativeStatus | residence-procedure      | démarches de séjour en cours",
                "administrativeStatus | victim-permit            | titre de séjour victime (L.425-1 à L.425-4)",
                "scope                | prosecutor               | parquet",
                "scope                | crip                     | cellule de recueil des informations préoccupantes (CRIP)",
                "confidential         |                          | Entretien confidentiel",
                "reasons              | minor-subject            | personne mineure",
                "reasons              | presumed-minor           | minorité présumée (âge incertain)",
                "sourceType           | victim.orientation       | Orientation d'une victime"
            })
    void saysTheWordsTheAdministrationsUse(String field, String code, String french) {
        String label = code == null ? FrenchLabels.field(field).orElseThrow() : FrenchLabels.value(field, code);

        assertThat(label).isEqualTo(french);
    }

    @Test
    void showsAValueAsItIsWhenItsFieldHoldsNoCodes() {
        assertThat(FrenchLabels.value("givenName", "female")).isEqualTo("female");
        assertThat(FrenchLabels.value("sex", "other")).isEqualTo("other");
        assertThat(FrenchLabels.field("gender")).isEmpty();
    }
}
