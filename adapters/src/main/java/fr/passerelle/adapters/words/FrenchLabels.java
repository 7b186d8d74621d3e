package fr.passerelle.adapters.words;

import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one table of French labels, as association staff, prefecture agents and officers read them: each canonical
 * field ({@link FieldLabels}), each code within its field ({@link CodeLabels}), the urgencies, the state of a
 * recipient's copy and the answers to a referral. The mail format, the server's receipt pages and the demo read
 * their words here, and nowhere else holds them: one word per concept (« Décliner la prise en charge », never
 * « Refuser »; « en attente de remise », never « en attente »). {@code FrenchLabelsTest} walks
 * {@code config/schemas} so that every field and every code of every canonical type has its label, and no label
 * outlives its field; gateway-server's {@code ReceiptWordsTest} checks that a mail and the pages its links open
 * say the same.
 *
 * <p>A code is labelled within its field, since one code may mean two things ({@code minors-present} is an
 * indicator of an exploitation report and a reason of a child-protection alert). Type titles are the model's own
 * ({@link ReferralType#frenchTitle()}). Immutable and thread-safe.
 */
public final class FrenchLabels {
    /** The state of one recipient's copy (« votre exemplaire »). */
    private static final Map<DeliveryState, String> STATES = Map.of(
            DeliveryState.PENDING, "en attente de remise",
            DeliveryState.DELIVERED, "remis, sans accusé de réception",
            DeliveryState.RECEIVED, "reçu (accusé de réception)",
            DeliveryState.ACCEPTED, "pris en charge",
            DeliveryState.DECLINED, "décliné",
            DeliveryState.COMPLETED, "terminé",
            DeliveryState.FAILED, "échec de remise",
            DeliveryState.EXPIRED, "expiré",
            DeliveryState.CANCELLED, "annulé");

    private static final Map<String, String> STATES_BY_CODE = STATES.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(e -> e.getKey().code(), Map.Entry::getValue));

    private FrenchLabels() {}

    /** « Orientation d'une victime » for {@code victim.orientation}. */
    public static String type(ReferralType type) {
        return type.frenchTitle();
    }

    /** The label of a canonical field, such as « Pseudonyme » for {@code alias}; empty for an unknown name. */
    public static Optional<String> field(String name) {
        return Optional.ofNullable(FieldLabels.ALL.get(name));
    }

    /**
     * The label of {@code code} in the coded field {@code field}, such as « OQTF sans délai » for
     * {@code kind}/{@code oqtf-without-delay}; empty when the field holds no codes or the code is unknown.
     */
    public static Optional<String> code(String field, String code) {
        return Optional.ofNullable(
                CodeLabels.BY_FIELD.getOrDefault(field, Map.of()).get(code));
    }

    /** The value of {@code field} as a reader sees it: its label when it is a known code, else as it is. */
    public static String value(String field, String value) {
        return code(field, value).orElse(value);
    }

    /** The urgency in a word, for a mail's subject: ordinaire, urgent, immédiat. */
    public static String urgencyWord(Urgency urgency) {
        return CodeLabels.URGENCIES.get(urgency.code());
    }

    /** The urgency with what it means, for the body of a message. */
    public static String urgencyMeaning(Urgency urgency) {
        return switch (urgency) {
            case ROUTINE -> "ordinaire";
            case URGENT -> "urgente : à traiter rapidement";
            case IMMEDIATE -> "IMMÉDIATE : la personne risque de dormir dehors ce soir";
        };
    }

    /** The state of a recipient's copy, such as « pris en charge ». */
    public static String deliveryState(DeliveryState state) {
        return STATES.get(state);
    }

    /** The state of a copy given by its code, as a notice carries it; an unknown code shows as it is. */
    public static String deliveryState(String code) {
        return STATES_BY_CODE.getOrDefault(code, code);
    }

    /** What a receipt says of the referral, such as « déclinée ». */
    public static String answer(ReceiptStatus status) {
        return CodeLabels.ANSWERS.get(status.code());
    }

    /** What a recipient does by sending the receipt: a receipt link's label, a receipt page's title. */
    public static String answerAction(ReceiptStatus status) {
        return switch (status) {
            case RECEIVED -> "Accuser réception";
            case ACCEPTED -> "Accepter la prise en charge";
            case DECLINED -> "Décliner la prise en charge";
            case COMPLETED -> "Terminer la prise en charge";
        };
    }

    /** Why a recipient declines, such as « pas de place disponible ». */
    public static String declineReason(DeclineReason reason) {
        return CodeLabels.REASONS.get(reason.code());
    }

    /** Every field label, by canonical field name: for the test that holds the table and the schemas together. */
    static Map<String, String> fields() {
        return FieldLabels.ALL;
    }

    /** Every coded field with its codes and their labels: for the same test. */
    static Map<String, Map<String, String>> codes() {
        return CodeLabels.BY_FIELD;
    }
}
