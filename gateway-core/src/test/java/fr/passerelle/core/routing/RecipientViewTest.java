package fr.passerelle.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.partner.PartnerKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecipientViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A shelter request as a police unit writes it, with obviously fictitious data. */
    private static final String SHELTER =
            """
            {"schemaVersion": 1, "type": "shelter.request", "department": "75", "urgency": "immediate",
             "subject": {"givenName": "Exemple", "minor": false, "sex": "female",
                         "contact": {"channel": "phone", "phone": "+33 6 00 00 00 00", "safeTimes": "le matin"}},
             "consent": {"given": true, "givenBy": "person", "recordedAt": "2025-07-15T10:30:00+02:00",
                         "recordedBy": "1234567", "informed": {"how": "orally", "language": "fr"},
                         "scope": ["siao"]},
             "household": {"adults": 1},
             "administrativeStatus": "reflection-period",
             "socialAssessment": {"done": true, "summary": "Texte fictif."},
             "referrer": {"unit": "Brigade fictive", "officerRio": "1234567", "staffReference": "EX-01",
                          "phone": "+33 1 00 00 00 00", "email": "brigade@example.invalid"}}
            """;

    private static ObjectNode shelter() {
        try {
            return (ObjectNode) JSON.readTree(SHELTER);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void replacesTheReferrerWithTheGenericServiceAndItsCallBackNumberForASiao() {
        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, shelter());

        assertThat(view.get("referrer").toString())
                .isEqualTo("{\"unit\":\"Service prescripteur\",\"phone\":\"+33 1 00 00 00 00\"}");
    }

    @Test
    void keepsOnlyTheGenericServiceWhenTheReferrerGaveNoPhone() {
        ObjectNode document = shelter();
        document.withObject("/referrer").remove("phone");

        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, document);

        assertThat(view.get("referrer").toString()).isEqualTo("{\"unit\":\"Service prescripteur\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reflection-period", "victim-permit"})
    void readsTheStatusesOnlyAVictimHoldsAsAResidenceProcedureForASiao(String status) {
        ObjectNode document = shelter().put("administrativeStatus", status);

        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, document);

        assertThat(view.get("administrativeStatus").textValue()).isEqualTo("residence-procedure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"french", "irregular-stay", "asylum-seeker", "residence-procedure", "pending"})
    void leavesTheOtherStatusesAsTheyAre(String status) {
        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, shelter().put("administrativeStatus", status));

        assertThat(view.get("administrativeStatus").textValue()).isEqualTo(status);
    }

    @Test
    void dropsWhoRecordedTheConsentAndNothingElseOfIt() {
        ObjectNode expected = (ObjectNode) shelter().get("consent");
        expected.remove("recordedBy");

        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, shelter());

        assertThat(view.get("consent")).isEqualTo(expected);
    }

    @Test
    void cutsALongFreeTextOnAWordBoundaryWithAnEllipsis() {
        String summary = "x" + "mot ".repeat(120);
        ObjectNode document = shelter();
        document.withObject("/socialAssessment").put("summary", summary);

        String cut = RecipientView.apply(PartnerKind.SIAO, document)
                .at("/socialAssessment/summary")
                .textValue();

        assertThat(cut).hasSize(297).endsWith(" mot…");
        assertThat(summary).startsWith(cut.substring(0, cut.length() - 1) + " ");
    }

    @Test
    void cutsATextOfOneLongWordInsideItAndCountsCharactersNotUtf16Units() {
        String word = "🏠".repeat(400);
        ObjectNode document = shelter();
        document.withObject("/socialAssessment").put("summary", word);

        String cut = RecipientView.apply(PartnerKind.SIAO, document)
                .at("/socialAssessment/summary")
                .textValue();

        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(RecipientView.TEXT_BOUND);
        assertThat(cut).isEqualTo("🏠".repeat(RecipientView.TEXT_BOUND - 1) + "…");
    }

    @Test
    void keepsAFreeTextWithinTheBoundWhole() {
        String summary = "x".repeat(RecipientView.TEXT_BOUND);
        ObjectNode document = shelter();
        document.withObject("/socialAssessment").put("summary", summary);

        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, document);

        assertThat(view.at("/socialAssessment/summary").textValue()).isEqualTo(summary);
        assertThat(view.at("/subject/contact/safeTimes").textValue()).isEqualTo("le matin");
    }

    @Test
    void boundsEveryFreeTextFieldItKnowsWhereverItStands() {
        ObjectNode document = shelter();
        String longText = "mot ".repeat(200);
        document.withObject("/subject/contact").put("safeTimes", longText);
        document.withObject("/socialAssessment").put("summary", longText);
        document.put("notes", longText).put("narrative", longText).put("summary", longText);

        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, document);

        for (String path : RecipientView.FREE_TEXT) {
            assertThat(view.at("/" + path.replace('.', '/')).textValue())
                    .as(path)
                    .hasSizeLessThanOrEqualTo(RecipientView.TEXT_BOUND)
                    .endsWith("…");
        }
    }

    @Test
    void neverMutatesItsInputAndSharesNoNodeWithIt() {
        ObjectNode input = shelter();

        ObjectNode view = RecipientView.apply(PartnerKind.SIAO, input);
        view.withObject("/household").put("adults", 9);
        view.withObject("/subject").put("givenName", "Autre");

        assertThat(input).isEqualTo(shelter());
    }

    @ParameterizedTest
    @EnumSource(value = PartnerKind.class, names = "SIAO", mode = EnumSource.Mode.EXCLUDE)
    void givesEveryOtherKindAnUnchangedCopy(PartnerKind kind) {
        ObjectNode input = shelter();

        ObjectNode view = RecipientView.apply(kind, input);

        assertThat(view).isEqualTo(shelter()).isNotSameAs(input);
        view.withObject("/referrer").put("unit", "Autre");
        assertThat(input).isEqualTo(shelter());
    }

    @Test
    void changesNothingWhenAppliedToItsOwnView() {
        ObjectNode document = shelter();
        document.withObject("/socialAssessment").put("summary", "mot ".repeat(300));
        ObjectNode once = RecipientView.apply(PartnerKind.SIAO, document);

        assertThat(RecipientView.apply(PartnerKind.SIAO, once)).isEqualTo(once);
    }

    @Test
    void addsNothingARouteDidNotLetThrough() {
        ObjectNode minimised = Minimiser.minimise(shelter(), List.of("household"));

        assertThat(RecipientView.apply(PartnerKind.SIAO, minimised)).isEqualTo(minimised);
    }

    @Test
    void boundsEveryFreeTextOfTheShelterRequestSchemaThatIsNoNameNorDropped() throws IOException {
        JsonNode schema = JSON.readTree(Path.of("..", "config", "schemas", "shelter.request.schema.json")
                .toFile());
        List<String> freeStrings = new ArrayList<>();
        collectFreeStrings(schema, schema, "", freeStrings);
        // Names identify the person on purpose; the rest is dropped by the view or refused on SIAO routes.
        freeStrings.removeAll(List.of(
                "subject.givenName",
                "subject.familyName",
                "subject.alias",
                "consent.recordedBy",
                "referrer.unit",
                "referrer.staffReference",
                "offence.procedureReference"));

        assertThat(freeStrings).isNotEmpty().allSatisfy(path -> assertThat(RecipientView.FREE_TEXT)
                .contains(path));
    }

    /** Paths of the strings that are no code, date, pattern or constant. */
    private static void collectFreeStrings(JsonNode root, JsonNode node, String path, List<String> found) {
        JsonNode schema =
                node.has("$ref") ? root.at(node.get("$ref").textValue().substring(1)) : node;
        if ("string".equals(schema.path("type").asText())
                && !schema.has("enum")
                && !schema.has("pattern")
                && !schema.has("format")
                && !schema.has("const")) {
            found.add(path);
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            collectFreeStrings(
                    root,
                    property.getValue(),
                    path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
                    found);
        }
    }
}
