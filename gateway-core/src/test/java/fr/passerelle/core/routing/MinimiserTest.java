package fr.passerelle.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.ShippedConfig;
import fr.passerelle.core.config.model.Route;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinimiserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** A shelter request with obviously fictitious data. */
    private static final String SHELTER =
            """
            {"schemaVersion": 1, "type": "shelter.request", "department": "75", "urgency": "immediate",
             "senderReference": "BRP-2026-0001",
             "subject": {"givenName": "Exemple", "familyName": "Fictif", "birthDate": "1999-01-01", "minor": false,
                         "nationality": "ZZ", "languages": ["fr", "en"],
                         "contact": {"channel": "phone", "phone": "+33 6 00 00 00 00"}},
             "household": {"adults": 1, "children": [{"age": 4}]},
             "shelter": {"neededFrom": "2026-01-15", "nights": 7, "constraints": ["women-only"]},
             "administrativeStatus": "pending",
             "offence": {"qualification": ["225-5"], "procedureReference": "PV-2026-0001"},
             "referrer": {"unit": "BRP", "officerRio": "1234567"}}
            """;

    private static ObjectNode document(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void keepsTheMetadataAndOnlyTheListedLeafWithItsParents() throws Exception {
        ObjectNode minimised = Minimiser.minimise(document(SHELTER), List.of("subject.languages"));

        assertThat(minimised)
                .isEqualTo(
                        document(
                                """
                {"schemaVersion": 1, "type": "shelter.request", "department": "75", "urgency": "immediate",
                 "subject": {"languages": ["fr", "en"]}}
                """));
    }

    @Test
    void keepsAWholeObjectWhenThePathNamesIt() throws Exception {
        ObjectNode minimised = Minimiser.minimise(document(SHELTER), List.of("household", "subject.contact"));

        assertThat(minimised)
                .isEqualTo(
                        document(
                                """
                {"schemaVersion": 1, "type": "shelter.request", "department": "75", "urgency": "immediate",
                 "subject": {"contact": {"channel": "phone", "phone": "+33 6 00 00 00 00"}},
                 "household": {"adults": 1, "children": [{"age": 4}]}}
                """));
    }

    @Test
    void keepsAnArrayWholeWhenNamedAndNothingForAPathIntoIt() throws Exception {
        ObjectNode minimised = Minimiser.minimise(
                document(SHELTER),
                List.of("shelter.constraints", "household.children.age", "administrativeStatus.code", "absent.field"));

        assertThat(minimised)
                .isEqualTo(
                        document(
                                """
                {"schemaVersion": 1, "type": "shelter.request", "department": "75", "urgency": "immediate",
                 "shelter": {"constraints": ["women-only"]}}
                """));
    }

    @Test
    void neverMutatesTheInputNorSharesNodesWithIt() throws Exception {
        ObjectNode original = document(SHELTER);
        ObjectNode untouched = original.deepCopy();

        ObjectNode minimised = Minimiser.minimise(original, List.of("household", "subject.languages"));
        ((ObjectNode) minimised.get("household")).put("adults", 9);

        assertThat(original).isEqualTo(untouched);
    }

    @Test
    void theShippedShelterRouteDropsOffenceDataAndNationality() throws Exception {
        Route shelter = ShippedConfig.withPki(temp).deployment().routes().stream()
                .filter(r -> r.id().equals("shelter-siao"))
                .findFirst()
                .orElseThrow();

        ObjectNode minimised = Minimiser.minimise(document(SHELTER), shelter.fields());

        assertThat(minimised)
                .isEqualTo(
                        document(
                                """
                {"schemaVersion": 1, "type": "shelter.request", "department": "75", "urgency": "immediate",
                 "subject": {"givenName": "Exemple", "familyName": "Fictif", "birthDate": "1999-01-01",
                             "minor": false, "languages": ["fr", "en"],
                             "contact": {"channel": "phone", "phone": "+33 6 00 00 00 00"}},
                 "household": {"adults": 1, "children": [{"age": 4}]},
                 "shelter": {"neededFrom": "2026-01-15", "nights": 7, "constraints": ["women-only"]},
                 "administrativeStatus": "pending",
                 "referrer": {"unit": "BRP", "officerRio": "1234567"}}
                """));
    }

    @Test
    void keepsTheDocumentsOrderRatherThanTheRoutes() throws Exception {
        ObjectNode minimised = Minimiser.minimise(document(SHELTER), List.of("referrer", "household"));

        assertThat(minimised.fieldNames())
                .toIterable()
                .containsExactly("schemaVersion", "type", "department", "urgency", "household", "referrer");
    }
}
