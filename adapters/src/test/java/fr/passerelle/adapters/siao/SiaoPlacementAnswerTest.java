package fr.passerelle.adapters.siao;

import static fr.passerelle.adapters.siao.SiaoFiles.bytes;
import static fr.passerelle.adapters.siao.SiaoFiles.siaoSample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.ReceiptRequest;
import fr.passerelle.core.referral.ReceiptStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiaoPlacementAnswerTest {
    private static final String ANSWER = "application/vnd.passerelle.siao-answer+json";

    private final SiaoJsonAdapter adapter = new SiaoJsonAdapter();

    @Test
    void readsTheAcceptedSampleAsAnAcceptedReceipt() {
        Optional<ObjectNode> receipt = adapter.readReceipt(bytes(siaoSample("answer-accepted.json")), ANSWER);

        assertThat(receipt).map(ObjectNode::toString).contains("{\"status\":\"accepted\"}");
    }

    @Test
    void readsTheDeclinedSampleAsADeclineForWantOfPlaces() {
        Optional<ObjectNode> receipt = adapter.readReceipt(bytes(siaoSample("answer-declined.json")), ANSWER);

        assertThat(receipt).map(ObjectNode::toString).contains("{\"status\":\"declined\",\"reason\":\"no-capacity\"}");
    }

    @Test
    void refusesANumberOutOfRangeInAnAnswerNamingItsField() {
        String body = "{\"reponse\":{\"decision\":\"refus\",\"motif\":1e999999}}";

        assertThatThrownBy(() -> adapter.readReceipt(bytes(body), ANSWER))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
                    assertThat(e.getMessage())
                            .isEqualTo("the request body holds a number out of range at"
                                    + " $.reponse.motif (expected: a number within the range of a double)");
                });
    }

    @Test
    void refusesAnOverlongFormInAnAnswer() {
        byte[] body = bytes("{\"reponse\":{\"decision\":\"refus\"}}");
        body[14] = (byte) 0xc0;
        body[15] = (byte) 0xaf;

        assertThatThrownBy(() -> adapter.readReceipt(body, ANSWER))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
                    assertThat(e.getMessage())
                            .startsWith("the request body is not valid UTF-8 at byte offset 14:" + " an overlong form");
                });
    }

    @ParameterizedTest
    @CsvSource({"prise-en-compte, received", "orientation-proposee, accepted", "personne-accueillie, completed"})
    void mapsEachDecisionWithoutMotifToItsStatus(String decision, String status) {
        String body = "{\"reponse\":{\"decision\":\"" + decision + "\"}}";

        ObjectNode receipt = adapter.readReceipt(bytes(body), ANSWER).orElseThrow();

        assertThat(receipt.toString()).isEqualTo("{\"status\":\"" + status + "\"}");
        assertThat(SiaoFiles.VALIDATOR.validateReceipt(receipt).status()).isEqualTo(ReceiptStatus.fromCode(status));
    }

    @ParameterizedTest
    @CsvSource({
        "absence-de-place, no-capacity",
        "hors-perimetre, out-of-scope",
        "hors-territoire, not-competent-territory",
        "personne-injoignable, person-unreachable",
        "refus-de-la-personne, person-declined",
        "demande-en-double, duplicate",
        "demande-incomplete, incomplete",
        "autre, other"
    })
    void mapsEachMotifOfARefusalToItsDeclineReason(String motif, String reason) {
        String body = "{\"version\":1,\"reponse\":{\"decision\":\"refus\",\"motif\":\"" + motif + "\"}}";

        ObjectNode receipt = adapter.readReceipt(bytes(body), ANSWER).orElseThrow();

        ReceiptRequest request = SiaoFiles.VALIDATOR.validateReceipt(receipt);
        assertThat(request.status()).isEqualTo(ReceiptStatus.DECLINED);
        assertThat(request.reason()).contains(DeclineReason.fromCode(reason));
    }

    @Test
    void hasAMotifForEveryDeclineReason() {
        assertThat(PlacementAnswers.MOTIF.canonicalCodes())
                .containsExactlyElementsOf(Arrays.stream(DeclineReason.values())
                        .map(DeclineReason::code)
                        .toList());
    }

    @Test
    void refusesAnUnknownDecisionListingTheAcceptedOnes() {
        assertRefused(
                "{\"reponse\":{\"decision\":\"peut-etre\"}}",
                "the siao-json reponse does not match its schema (1 problem): $.reponse.decision: must be one of:"
                        + " prise-en-compte, orientation-proposee, pas-de-place, refus, personne-accueillie",
                "$.reponse.decision: must be one of: prise-en-compte, orientation-proposee, pas-de-place, refus,"
                        + " personne-accueillie");
    }

    @Test
    void refusesARefusalWithoutMotif() {
        assertRefused(
                "{\"reponse\":{\"decision\":\"refus\"}}",
                "the siao-json reponse does not match its schema (1 problem): $.reponse.motif: is required",
                "$.reponse.motif: is required");
    }

    @Test
    void refusesAMotifOnAnythingButARefusal() {
        assertRefused(
                "{\"reponse\":{\"decision\":\"orientation-proposee\",\"motif\":\"autre\"}}",
                "the siao-json reponse does not match its schema (1 problem): $.reponse.motif: is not allowed here",
                "$.reponse.motif: is not allowed here");
    }

    @Test
    void refusesAFreeTextComment() {
        assertRefused(
                "{\"reponse\":{\"decision\":\"pas-de-place\",\"commentaire\":\"Secretname\"}}",
                "the siao-json reponse does not match its schema (1 problem): $.reponse.commentaire: is not allowed"
                        + " here (expected only: decision, motif)",
                "$.reponse.commentaire: is not allowed here (expected only: decision, motif)");
    }

    @Test
    void leavesCanonicalReceiptsToTheGateway() {
        byte[] canonical = bytes("{\"status\":\"received\"}");

        assertThat(adapter.readReceipt(canonical, "application/json")).isEmpty();
        assertThat(adapter.readReceipt(canonical, "")).isEmpty();
    }

    @Test
    void refusesAnswersOfAnotherMediaType() {
        assertThatThrownBy(() -> adapter.readReceipt(bytes("decision=refus"), "application/x-www-form-urlencoded"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED))
                .hasMessage("media type 'application/x-www-form-urlencoded' is not a receipt the siao-json format reads"
                        + " (expected: application/vnd.passerelle.siao-answer+json, or application/json for a"
                        + " canonical receipt)");
    }

    @Test
    void refusesAMalformedAnswerNamingTheLineAndColumn() {
        assertThatThrownBy(() -> adapter.readReceipt(bytes("{\"reponse\":"), ANSWER))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED))
                .hasMessageStartingWith("the request body is not valid JSON: Unexpected end-of-input")
                .hasMessageEndingWith("(expected: a siao-json placement answer as a JSON object)")
                .hasMessageContaining("at line 1, column");
    }

    private void assertRefused(String body, String message, String... details) {
        assertThatThrownBy(() -> adapter.readReceipt(bytes(body), ANSWER))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID);
                    assertThat(e.getMessage()).isEqualTo(message).doesNotContain("Secretname");
                    assertThat(e.details()).isEqualTo(List.of(details));
                });
    }
}
