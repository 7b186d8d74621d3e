package fr.passerelle.adapters.siao;

import static fr.passerelle.adapters.siao.SiaoFiles.bytes;
import static fr.passerelle.adapters.siao.SiaoFiles.canonicalSample;
import static fr.passerelle.adapters.siao.SiaoFiles.item;
import static fr.passerelle.adapters.siao.SiaoFiles.parse;
import static fr.passerelle.adapters.siao.SiaoFiles.siaoSample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.Minimiser;
import fr.passerelle.core.routing.RecipientView;
import fr.passerelle.core.spi.Adapters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SiaoJsonRoundTripTest {
    /**
     * The fields of a shelter-siao route (config/routes.yaml) with the consent: no offence, no nationality, no sender
     * reference.
     */
    private static final List<String> SIAO_ROUTE_FIELDS = List.of(
            "subject.givenName",
            "subject.familyName",
            "subject.alias",
            "subject.birthDate",
            "subject.estimatedAge",
            "subject.minor",
            "subject.sex",
            "subject.languages",
            "subject.contact",
            "consent",
            "household",
            "shelter",
            "administrativeStatus",
            "resources",
            "health",
            "socialAssessment",
            "referrer");

    private final SiaoJsonAdapter adapter = new SiaoJsonAdapter();

    @Test
    void readsTheShelterRequestSampleAndRendersTheSameDocumentAgain() {
        ObjectNode sample = siaoSample("shelter.request.json");

        ObjectNode canonical = adapter.read(bytes(sample), "application/vnd.passerelle.siao+json");
        ObjectNode rendered = parse(adapter.write(item(canonical)));

        assertThat(rendered).isEqualTo(sample);
        assertThat(adapter.read(bytes(rendered), "application/json")).isEqualTo(canonical);
    }

    @Test
    void readsTheDifficultyReportSampleAndRendersTheSameBodyAgain() {
        ObjectNode sample = siaoSample("difficulty.report.json");

        ObjectNode canonical = adapter.read(bytes(sample), "application/json");
        ObjectNode rendered = parse(adapter.write(item(canonical)));

        assertThat(rendered.get("signalementDifficulte")).isEqualTo(sample.get("signalementDifficulte"));
        assertThat(rendered.get("version")).isEqualTo(sample.get("version"));
        assertThat(adapter.read(bytes(rendered), "")).isEqualTo(canonical);
    }

    @Test
    void translatesTheDifficultyReportSampleIntoTheCanonicalOne() {
        ObjectNode canonical = adapter.read(bytes(siaoSample("difficulty.report.json")), "application/json");

        ObjectNode expected = canonicalSample("difficulty.report.json");
        expected.put("senderReference", "SIAO75-EX-0001");
        assertThat(canonical).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shelter.request", "difficulty.report"})
    void readsEachSampleIntoAReferralThatTheGatewayAccepts(String type) {
        ObjectNode canonical = adapter.read(bytes(siaoSample(type + ".json")), "application/vnd.passerelle.siao+json");

        Referral referral = SiaoFiles.VALIDATOR.validate(canonical);

        assertThat(referral.type()).isEqualTo(ReferralType.find(type).orElseThrow());
    }

    @Test
    void carriesEveryCanonicalShelterRequestFieldThereAndBack() {
        ObjectNode full = canonicalSample("shelter.request.json");
        full.withObject("/subject").put("estimatedAge", 25);
        full.withObject("/referrer").put("staffReference", "EX-AGENT-01");
        full.withObject("/consent/informed").put("interpreter", true);
        assertThat(SiaoFiles.paths(full)).containsAll(SiaoFiles.VALIDATOR.fieldPaths(ReferralType.SHELTER_REQUEST));

        ObjectNode back = adapter.read(adapter.write(item(full.deepCopy())), "application/json");

        assertThat(back).isEqualTo(full);
    }

    @Test
    void carriesEveryCanonicalDifficultyReportFieldThereAndBack() {
        ObjectNode full = canonicalSample("difficulty.report.json");
        full.put("senderReference", "EX-2025-0009");
        assertThat(SiaoFiles.paths(full)).containsAll(SiaoFiles.VALIDATOR.fieldPaths(ReferralType.DIFFICULTY_REPORT));

        ObjectNode back = adapter.read(adapter.write(item(full.deepCopy())), "application/json");

        assertThat(back).isEqualTo(full);
    }

    @Test
    void rendersTheCanonicalSampleAsTheSiaoSeesItAsTheSiaoSample() {
        ObjectNode seen = RecipientView.apply(
                PartnerKind.SIAO, Minimiser.minimise(canonicalSample("shelter.request.json"), SIAO_ROUTE_FIELDS));

        ObjectNode rendered = parse(adapter.write(item(seen)));

        assertThat(rendered).isEqualTo(siaoSample("shelter.request.json"));
        assertThat(rendered.get("demande").has("infraction")).isFalse();
        assertThat(rendered.get("demande").get("demandeur").has("nationalite")).isFalse();
        assertThat(rendered.get("demande").get("travailleurSocial").toString())
                .isEqualTo("{\"service\":\"Service prescripteur\",\"telephone\":\"+33 1 00 00 00 00\"}");
        assertThat(rendered.get("demande").get("consentement").has("recueilliPar"))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "reflection-period, delai-de-reflexion",
        "victim-permit, titre-de-sejour-victime",
        "residence-procedure, demarches-de-sejour-en-cours",
        "pending, demarches-en-cours"
    })
    void carriesEachAdministrativeStatusThereAndBack(String status, String siaoCode) {
        ObjectNode canonical = canonicalSample("shelter.request.json").put("administrativeStatus", status);

        ObjectNode rendered = parse(adapter.write(item(canonical.deepCopy())));

        assertThat(rendered.at("/demande/situationAdministrative").textValue()).isEqualTo(siaoCode);
        assertThat(adapter.read(bytes(rendered), "application/json")).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reflection-period", "victim-permit"})
    void rendersAStatusOnlyAVictimHoldsAsAResidenceProcedureOnceTheSiaoViewApplies(String status) {
        ObjectNode canonical = canonicalSample("shelter.request.json").put("administrativeStatus", status);

        ObjectNode rendered = parse(adapter.write(
                item(RecipientView.apply(PartnerKind.SIAO, Minimiser.minimise(canonical, SIAO_ROUTE_FIELDS)))));

        assertThat(rendered.at("/demande/situationAdministrative").textValue())
                .isEqualTo("demarches-de-sejour-en-cours");
        assertThat(SiaoFiles.VALIDATOR
                        .validate(adapter.read(bytes(rendered), "application/json"))
                        .type())
                .isEqualTo(ReferralType.SHELTER_REQUEST);
    }

    @ParameterizedTest
    @CsvSource({"female, femme", "male, homme", "unknown, non-renseigne"})
    void carriesEachSexThereAndBack(String sex, String sexe) {
        ObjectNode canonical = canonicalSample("shelter.request.json");
        canonical.withObject("/subject").put("sex", sex);

        ObjectNode rendered = parse(adapter.write(item(canonical.deepCopy())));

        assertThat(rendered.at("/demande/demandeur/sexe").textValue()).isEqualTo(sexe);
        assertThat(adapter.read(bytes(rendered), "application/json")).isEqualTo(canonical);
    }

    @Test
    void rendersADocumentHoldingOnlyTheRoutingMetadata() {
        ObjectNode bare = SiaoFiles.JSON
                .createObjectNode()
                .put("schemaVersion", 1)
                .put("type", "shelter.request")
                .put("department", "974")
                .put("urgency", "urgent");

        ObjectNode rendered = parse(adapter.write(item(bare)));

        assertThat(rendered.toString())
                .isEqualTo("{\"version\":1,\"envoi\":{\"identifiant\":"
                        + "\"00000000-0000-4000-8000-000000000001\",\"emetteur\":\"police-75-brp\",\"dateEnvoi\":"
                        + "\"2025-07-14T10:15:30Z\"},\"demande\":{\"departement\":\"974\",\"urgence\":\"urgente\"}}");
        assertThat(adapter.read(bytes(rendered), "application/json")).isEqualTo(bare);
    }

    @Test
    void keepsAnEmptyObjectOfTheCanonicalDocument() {
        ObjectNode canonical = SiaoFiles.JSON
                .createObjectNode()
                .put("schemaVersion", 1)
                .put("type", "shelter.request")
                .put("department", "75")
                .put("urgency", "routine");
        canonical.putObject("shelter").putArray("constraints").add("animals");
        canonical.putObject("health");

        ObjectNode rendered = parse(adapter.write(item(canonical.deepCopy())));

        assertThat(rendered.get("demande").toString())
                .isEqualTo("{\"departement\":\"75\",\"urgence\":\"programmee\","
                        + "\"besoinHebergement\":{},\"contraintes\":[\"animaux\"],\"sante\":{}}");
        assertThat(adapter.read(bytes(rendered), "application/json")).isEqualTo(canonical);
    }

    @Test
    void rendersTheAnswerLinksOfAMailRecipientInTheEnvelope() {
        ObjectNode item = item(canonicalSample("difficulty.report.json"));
        item.putObject("receiptLinks")
                .put("received", "https://passerelle.example.fr:8444/v1/receipts/R")
                .put("accepted", "https://passerelle.example.fr:8444/v1/receipts/A")
                .put("declined", "https://passerelle.example.fr:8444/v1/receipts/D");
        item.put("receiptLinksExpireAt", "2025-07-21T10:15:30Z");

        ObjectNode rendered = parse(adapter.write(item));

        assertThat(rendered.get("envoi").toString())
                .isEqualTo("{\"identifiant\":\"00000000-0000-4000-8000-000000000001\","
                        + "\"emetteur\":\"police-75-brp\",\"dateEnvoi\":\"2025-07-14T10:15:30Z\",\"liensReponse\":{"
                        + "\"priseEnCompte\":\"https://passerelle.example.fr:8444/v1/receipts/R\","
                        + "\"orientationProposee\":\"https://passerelle.example.fr:8444/v1/receipts/A\","
                        + "\"refus\":\"https://passerelle.example.fr:8444/v1/receipts/D\"},"
                        + "\"expirationLiens\":\"2025-07-21T10:15:30Z\"}");
        assertThat(adapter.read(bytes(rendered), "application/json"))
                .isEqualTo(canonicalSample("difficulty.report.json"));
    }

    @Test
    void isFoundThroughTheServiceLoaderBothWays() {
        Adapters adapters = Adapters.load();

        assertThat(adapters.inbound("siao-json")).isInstanceOf(SiaoJsonAdapter.class);
        assertThat(adapters.outbound("siao-json").mediaType()).isEqualTo("application/vnd.passerelle.siao+json");
    }
}
