package fr.passerelle.adapters.siao;

import static fr.passerelle.adapters.siao.SiaoFiles.bytes;
import static fr.passerelle.adapters.siao.SiaoFiles.canonicalSample;
import static fr.passerelle.adapters.siao.SiaoFiles.item;
import static fr.passerelle.adapters.siao.SiaoFiles.siaoSample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SiaoJsonRefusalTest {
    private static final String SIAO = "application/vnd.passerelle.siao+json";

    private final SiaoJsonAdapter adapter = new SiaoJsonAdapter();

    @Test
    void refusesMalformedJsonNamingTheLineAndColumn() {
        String body = "{\n  \"version\": 1\n  \"demande\": {}\n}";

        assertRefused(
                () -> adapter.read(bytes(body), SIAO),
                ErrorCode.JSON_MALFORMED,
                "the request body is not valid JSON: Unexpected character at line 3, column 3"
                        + " (expected: a siao-json document as a JSON object)");
    }

    @Test
    void refusesMalformedJsonWithoutEchoingTheInput() {
        String body = "{\"version\": 1, \"demande\": {\"demandeur\": {\"prenom\": Secretname}}}";

        assertThatThrownBy(() -> adapter.read(bytes(body), SIAO)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
            assertThat(e.getMessage())
                    .doesNotContain("Secretname")
                    .isEqualTo("the request body is not valid JSON: Unrecognized token at line 1, column 63"
                            + " (expected: a siao-json document as a JSON object)");
        });
    }

    @Test
    void refusesDuplicateKeysTrailingTokensAndNonObjects() {
        assertRefused(
                () -> adapter.read(bytes("{\"version\":1,\"version\":1}"), SIAO),
                ErrorCode.JSON_MALFORMED,
                "the request body is not valid JSON: Duplicate field at line 1, column 23"
                        + " (expected: a siao-json document as a JSON object)");
        assertThatThrownBy(() -> adapter.read(bytes("{} {}"), SIAO))
                .hasMessageStartingWith("the request body is not valid JSON: Trailing token");
        assertRefused(
                () -> adapter.read(bytes("[1]"), SIAO),
                ErrorCode.JSON_MALFORMED,
                "the request body is JSON of kind array (expected: a siao-json document as a JSON object)");
        assertRefused(
                () -> adapter.read(new byte[0], SIAO),
                ErrorCode.JSON_MALFORMED,
                "the request body is empty (expected: a siao-json document as a JSON object)");
    }

    @Test
    void refusesARequestWithoutItsUrgencyNamingTheField() {
        ObjectNode sample = siaoSample("shelter.request.json");
        sample.withObject("/demande").remove("urgence");

        assertRefused(
                () -> adapter.read(bytes(sample), SIAO),
                ErrorCode.FORMAT_INVALID,
                "the siao-json demande does not match its schema (1 problem): $.demande.urgence: is required",
                "$.demande.urgence: is required");
    }

    @Test
    void refusesADifficultyReportWithoutItsCategoryNamingTheField() {
        ObjectNode sample = siaoSample("difficulty.report.json");
        sample.withObject("/signalementDifficulte").remove("categorie");

        assertRefused(
                () -> adapter.read(bytes(sample), SIAO),
                ErrorCode.FORMAT_INVALID,
                "the siao-json signalementDifficulte does not match its schema (1 problem):"
                        + " $.signalementDifficulte.categorie: is required",
                "$.signalementDifficulte.categorie: is required");
    }

    @Test
    void refusesAnUnknownFieldNamingItAndTheFieldsExpected() {
        ObjectNode sample = siaoSample("shelter.request.json");
        sample.withObject("/demande/menage").put("animaux", 2);

        assertRefused(
                () -> adapter.read(bytes(sample), SIAO),
                ErrorCode.FORMAT_INVALID,
                "the siao-json demande does not match its schema (1 problem): $.demande.menage.animaux: is not"
                        + " allowed here (expected only: adultes, enfants)",
                "$.demande.menage.animaux: is not allowed here (expected only: adultes, enfants)");
    }

    @Test
    void refusesBadValuesWithoutRepeatingThem() {
        ObjectNode sample = siaoSample("shelter.request.json");
        sample.withObject("/demande").put("urgence", "tout-de-suite");
        sample.withObject("/demande/demandeur/contact").put("courriel", "Secretname Secretfamily");
        sample.withObject("/demande/demandeur").put("dateNaissance", "01/01/2000");

        assertRefused(
                () -> adapter.read(bytes(sample), SIAO),
                ErrorCode.FORMAT_INVALID,
                "the siao-json demande does not match its schema (3 problems): $.demande.demandeur.contact.courriel:"
                        + " must match the pattern ^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
                "$.demande.demandeur.contact.courriel: must match the pattern ^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
                "$.demande.demandeur.dateNaissance: must be a date such as 2025-07-11 (RFC 3339 full-date)",
                "$.demande.urgence: must be one of: programmee, urgente, mise-a-l-abri-immediate");
    }

    @Test
    void refusesASexCodeThatAdministrationsDoNotRecordListingTheCodes() {
        ObjectNode sample = siaoSample("shelter.request.json");
        sample.withObject("/demande/demandeur").put("sexe", "autre");

        assertRefused(
                () -> adapter.read(bytes(sample), SIAO),
                ErrorCode.FORMAT_INVALID,
                "the siao-json demande does not match its schema (1 problem): $.demande.demandeur.sexe: must be one"
                        + " of: femme, homme, non-renseigne",
                "$.demande.demandeur.sexe: must be one of: femme, homme, non-renseigne");
    }

    @Test
    void refusesADocumentWithNoBodyOrWithTwo() {
        assertRefused(
                () -> adapter.read(bytes("{\"version\":1}"), SIAO),
                ErrorCode.FORMAT_INVALID,
                "the siao-json document holds no body (expected at $ one of: demande, signalementDifficulte)");
        ObjectNode both = siaoSample("shelter.request.json");
        both.set("signalementDifficulte", siaoSample("difficulty.report.json").get("signalementDifficulte"));
        assertThatThrownBy(() -> adapter.read(bytes(both), SIAO))
                .hasMessage("the siao-json demande does not match its schema (1 problem): $.signalementDifficulte:"
                        + " is not allowed here (expected only: version, envoi, demande)");
    }

    @Test
    void refusesAPlacementAnswerSubmittedAsAReferral() {
        assertRefused(
                () -> adapter.read(bytes(siaoSample("answer-declined.json")), SIAO),
                ErrorCode.FORMAT_INVALID,
                "a siao-json reponse is a placement answer, not a referral (expected: POST it to"
                        + " /v1/referrals/{id}/receipts as application/vnd.passerelle.siao-answer+json)");
    }

    @Test
    void refusesOtherMediaTypes() {
        assertRefused(
                () -> adapter.read(bytes("<demande/>"), "application/xml"),
                ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                "media type 'application/xml' is not read by the siao-json format (expected:"
                        + " application/vnd.passerelle.siao+json or application/json)");
    }

    @Test
    void refusesToRenderATypeTheSiaoDoesNotExchange() {
        ObjectNode orientation = canonicalSample("victim.orientation.json");

        assertRefused(
                () -> adapter.write(item(orientation)),
                ErrorCode.INTERNAL,
                "the siao-json format does not render the type victim.orientation (expected one of:"
                        + " shelter.request, difficulty.report)");
    }

    @Test
    void refusesToRenderAFieldItHasNoPlaceForRatherThanDropIt() {
        ObjectNode canonical = canonicalSample("difficulty.report.json");
        canonical.put("notes", "x");

        assertThatThrownBy(() -> adapter.write(item(canonical)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessage("the difficulty.report field notes has no place in the siao-json format (expected only:"
                        + " schemaVersion, type, department, urgency, senderReference, category, summary,"
                        + " relatedReferralId)");
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String message, String... details) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.details()).isEqualTo(List.of(details));
        });
    }
}
