package fr.passerelle.adapters.siao;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.ReceiptStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SIAO's answers to a shelter request and the canonical receipts they stand for. A decision names the
 * status; {@code pas-de-place} implies the reason {@code no-capacity}, {@code refus} takes it from the motif.
 */
final class PlacementAnswers {
    /** The decision codes, in the order the schema lists them. */
    static final Map<String, ReceiptStatus> STATUS_BY_DECISION = ordered(
            "prise-en-compte", ReceiptStatus.RECEIVED,
            "orientation-proposee", ReceiptStatus.ACCEPTED,
            "pas-de-place", ReceiptStatus.DECLINED,
            "refus", ReceiptStatus.DECLINED,
            "personne-accueillie", ReceiptStatus.COMPLETED);

    static final String REFUSAL = "refus";
    static final String NO_PLACE = "pas-de-place";

    /** The motifs of a {@code refus}, one per {@link DeclineReason}. */
    static final CodeList MOTIF = CodeList.of(
            "decline motif",
            DeclineReason.NO_CAPACITY.code(),
            "absence-de-place",
            DeclineReason.OUT_OF_SCOPE.code(),
            "hors-perimetre",
            DeclineReason.NOT_COMPETENT_TERRITORY.code(),
            "hors-territoire",
            DeclineReason.PERSON_UNREACHABLE.code(),
            "personne-injoignable",
            DeclineReason.PERSON_DECLINED.code(),
            "refus-de-la-personne",
            DeclineReason.DUPLICATE.code(),
            "demande-en-double",
            DeclineReason.INCOMPLETE.code(),
            "demande-incomplete",
            DeclineReason.OTHER.code(),
            "autre");

    private PlacementAnswers() {}

    /**
     * @param answer a document that matched {@code answer.schema.json}
     * @return the canonical receipt: {@code status}, and {@code reason} when declined
     */
    static ObjectNode toReceipt(JsonNode answer) {
        JsonNode reponse = answer.path("reponse");
        String decision = reponse.path("decision").asText();
        ReceiptStatus status = STATUS_BY_DECISION.get(decision);
        ObjectNode receipt = JsonNodeFactory.instance.objectNode();
        receipt.put("status", status.code());
        reason(decision, reponse.path("motif")).ifPresent(reason -> receipt.put("reason", reason));
        return receipt;
    }

    private static Optional<String> reason(String decision, JsonNode motif) {
        if (NO_PLACE.equals(decision)) {
            return Optional.of(DeclineReason.NO_CAPACITY.code());
        }
        if (REFUSAL.equals(decision)) {
            return Optional.of(MOTIF.toCanonical(motif.asText()));
        }
        return Optional.empty();
    }

    private static Map<String, ReceiptStatus> ordered(Object... pairs) {
        Map<String, ReceiptStatus> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (ReceiptStatus) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
