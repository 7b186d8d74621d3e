package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The instruction's rules that a JSON Schema cannot say well, checked on a document that already matches its
 * schema. Each broken rule is one message naming the rule, what is missing or wrong and its legal basis; no message
 * holds a value from the document, not even a date.
 */
final class Rules {
    /** The four rights the person must be told of, in the order CESEDA R.425-1 lists them. */
    static final List<String> RIGHTS = List.of(
            "admission-to-stay-and-work", "reception-housing-protection", "rights-cpp-53-1-legal-aid", "reflection-period");
    /** How long a reflection period lasts from the récépissé's handover (CESEDA R.425-2). */
    static final int REFLECTION_PERIOD_DAYS = 30;
    static final int MAJORITY = 18;

    static final String CONSENT_NOT_RECORDED = "consent not recorded: a victim.orientation needs consent.given true"
            + " and consent.recordedAt, because a victim is oriented to an association only with their explicit"
            + " consent (GDPR art. 9(2)(a))";
    static final String HEARING_NOT_ATTESTED = "hearing not attested: a residence.permit.support needs"
            + " hearing.byQualifiedStaff true, because the person must first be heard by qualified police or"
            + " gendarmerie staff (CESEDA L.425-1; instruction of 11 July 2025)";
    static final String REFLECTION_PERIOD_RUNNING = "removal objective refused: reflectionPeriod.running is true,"
            + " and no removal may be taken or enforced during the reflection period (CESEDA R.425-2)";
    static final String REFLECTION_PERIOD_NOT_ENDED = "removal objective refused: reflectionPeriod.running is false"
            + " but reflectionPeriod.endsOn is today or later, so the period still runs; no removal may be taken or"
            + " enforced before its end (CESEDA R.425-2)";
    static final String REFLECTION_PERIOD_ALREADY_ENDED = "reflection period contradictory: reflectionPeriod.running"
            + " is true but reflectionPeriod.endsOn is already past; correct whichever is wrong (CESEDA R.425-2)";
    static final String SUBJECT_MINOR = "removal objective refused: the person is a minor (subject.minor is true),"
            + " and a minor cannot be the subject of an obligation to leave French territory (CESEDA L.611-3)";
    static final String BIRTH_DATE_MINOR = "removal objective refused: subject.birthDate is less than 18 years"
            + " before today, so the person is a minor, and a minor cannot be the subject of an obligation to leave"
            + " French territory (CESEDA L.611-3)";
    static final String ESTIMATED_AGE_MINOR = "removal objective refused: subject.estimatedAge is under 18, so the"
            + " person may be a minor, and a minor cannot be the subject of an obligation to leave French territory"
            + " (CESEDA L.611-3)";
    static final String RECEIPT_ENDS_BEFORE_HANDOVER = "reflection period dates inverted: receipt.endsOn is before"
            + " receipt.handedOverOn, and the period runs from the récépissé's handover (CESEDA R.425-2)";
    static final String RECEIPT_TOO_LONG = "reflection period too long: receipt.endsOn is more than 30 days after"
            + " receipt.handedOverOn, and the period lasts 30 days from the récépissé's handover (CESEDA R.425-2)";
    static final String EARLY_END_BEFORE_HANDOVER = "early end outside the period: earlyEnd.on is before"
            + " receipt.handedOverOn, and the prefect can end early only a period that has begun (CESEDA R.425-2)";
    static final String EARLY_END_AFTER_END = "early end outside the period: earlyEnd.on is after receipt.endsOn,"
            + " and a period that has already ended cannot end early (CESEDA R.425-2)";
    static final String CARD_WITH_REFUSAL = "card with a refusal: decision.outcome is refused, so the decision"
            + " carries no card; remove card or correct the outcome (CESEDA L.425-1, L.425-3, L.425-4)";
    static final String CARD_DATES_INVERTED = "card validity inverted: card.validUntil is before card.validFrom,"
            + " and the card protects the person from its first to its last day of validity (CESEDA L.425-1,"
            + " L.425-3, L.425-4)";

    private Rules() {
    }

    /**
     * The rules {@code document} breaks, in a fixed order; empty when it keeps them all.
     *
     * @param today the submission day, against which ages and the end of a reflection period are judged
     */
    static List<String> broken(ReferralType type, JsonNode document, LocalDate today) {
        List<String> broken = new ArrayList<>();
        switch (type) {
            case VICTIM_ORIENTATION -> {
                JsonNode consent = document.path("consent");
                if (!consent.path("given").asBoolean(false) || !consent.hasNonNull("recordedAt")) {
                    broken.add(CONSENT_NOT_RECORDED);
                }
            }
            case RESIDENCE_PERMIT_SUPPORT -> {
                if (!document.path("hearing").path("byQualifiedStaff").asBoolean(false)) {
                    broken.add(HEARING_NOT_ATTESTED);
                }
                rightsInformed(type, document).ifPresent(broken::add);
            }
            case REFLECTION_PERIOD_REQUEST -> rightsInformed(type, document).ifPresent(broken::add);
            case REMOVAL_OBJECTIVE -> {
                reflectionPeriod(document.path("reflectionPeriod"), today, broken);
                minor(document.path("subject"), today, broken);
            }
            case REFLECTION_PERIOD_DECISION -> reflectionDecision(document, broken);
            case RESIDENCE_PERMIT_DECISION -> permitDecision(document, broken);
            default -> {
                // No rule beyond the schema.
            }
        }
        return List.copyOf(broken);
    }

    private static void reflectionPeriod(JsonNode period, LocalDate today, List<String> broken) {
        boolean running = period.path("running").asBoolean(false);
        Optional<LocalDate> endsOn = date(period.path("endsOn"));
        if (running) {
            broken.add(REFLECTION_PERIOD_RUNNING);
            if (endsOn.filter(end -> end.isBefore(today)).isPresent()) {
                broken.add(REFLECTION_PERIOD_ALREADY_ENDED);
            }
        } else if (endsOn.filter(end -> !end.isBefore(today)).isPresent()) {
            broken.add(REFLECTION_PERIOD_NOT_ENDED);
        }
    }

    // Any one sign is enough: a person whom one field shows as a minor must not be removed on the strength of another.
    private static void minor(JsonNode subject, LocalDate today, List<String> broken) {
        if (subject.path("minor").asBoolean(false)) {
            broken.add(SUBJECT_MINOR);
        }
        if (date(subject.path("birthDate")).filter(birth -> birth.plusYears(MAJORITY).isAfter(today)).isPresent()) {
            broken.add(BIRTH_DATE_MINOR);
        }
        JsonNode estimatedAge = subject.path("estimatedAge");
        if (estimatedAge.isIntegralNumber() && estimatedAge.asInt() < MAJORITY) {
            broken.add(ESTIMATED_AGE_MINOR);
        }
    }

    private static void reflectionDecision(JsonNode document, List<String> broken) {
        JsonNode receipt = document.path("receipt");
        Optional<LocalDate> handedOverOn = date(receipt.path("handedOverOn"));
        Optional<LocalDate> endsOn = date(receipt.path("endsOn"));
        if (handedOverOn.isPresent() && endsOn.isPresent()) {
            if (endsOn.get().isBefore(handedOverOn.get())) {
                broken.add(RECEIPT_ENDS_BEFORE_HANDOVER);
            } else if (endsOn.get().isAfter(handedOverOn.get().plusDays(REFLECTION_PERIOD_DAYS))) {
                broken.add(RECEIPT_TOO_LONG);
            }
        }
        Optional<LocalDate> earlyEnd = date(document.path("earlyEnd").path("on"));
        if (earlyEnd.isPresent()) {
            if (handedOverOn.filter(earlyEnd.get()::isBefore).isPresent()) {
                broken.add(EARLY_END_BEFORE_HANDOVER);
            }
            if (endsOn.filter(earlyEnd.get()::isAfter).isPresent()) {
                broken.add(EARLY_END_AFTER_END);
            }
        }
    }

    private static void permitDecision(JsonNode document, List<String> broken) {
        JsonNode card = document.path("card");
        // The schema requires the card when the outcome is issued or renewed; a refusal must not carry one.
        if ("refused".equals(document.path("decision").path("outcome").asText()) && card.isObject()) {
            broken.add(CARD_WITH_REFUSAL);
        }
        Optional<LocalDate> validFrom = date(card.path("validFrom"));
        Optional<LocalDate> validUntil = date(card.path("validUntil"));
        if (validFrom.isPresent() && validUntil.isPresent() && validUntil.get().isBefore(validFrom.get())) {
            broken.add(CARD_DATES_INVERTED);
        }
    }

    /** The date the field holds; empty when it is absent. The schema asserts the format, so no message is lost. */
    private static Optional<LocalDate> date(JsonNode field) {
        if (!field.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(field.textValue()));
        } catch (DateTimeParseException e) {
            // Its message quotes the text: never let it out.
            return Optional.empty();
        }
    }

    private static Optional<String> rightsInformed(ReferralType type, JsonNode document) {
        Set<String> missing = new LinkedHashSet<>(RIGHTS);
        for (JsonNode item : document.path("rightsInformation").path("items")) {
            missing.remove(item.asText());
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(rightsIncomplete(type, missing));
    }

    private static String rightsIncomplete(ReferralType type, Set<String> missing) {
        return "rights information incomplete: a " + type + " needs all four rightsInformation.items, missing: "
                + String.join(", ", missing) + " (duty to inform the person of their rights, CESEDA R.425-1)";
    }
}
