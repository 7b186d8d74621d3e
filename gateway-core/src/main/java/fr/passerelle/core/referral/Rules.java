package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The instruction's rules that a JSON Schema cannot say well, checked on a document that already matches its
 * schema. Each broken rule is one message naming the rule, what is missing or wrong and its legal basis; no message
 * holds a value from the document, not even a date.
 */
final class Rules {
    /**
     * The five rights the person must be told of: the four of CESEDA R.425-1 in its order, then international
     * protection, which the instruction of 11 July 2025 adds.
     */
    static final List<String> RIGHTS = List.of(
            "admission-to-stay-and-work",
            "reception-housing-protection",
            "rights-cpp-53-1-legal-aid",
            "reflection-period",
            "international-protection");
    /** What each right means, in the words of the texts, for the message that names a missing one. */
    static final Map<String, String> RIGHT_MEANINGS = Map.of(
            "admission-to-stay-and-work", "admission au séjour et au travail",
            "reception-housing-protection", "accueil, hébergement et protection",
            "rights-cpp-53-1-legal-aid", "droits de l'article 53-1 du CPP dont l'aide juridique",
            "reflection-period", "délai de réflexion",
            "international-protection", "protection internationale");
    /** How long a reflection period lasts from the récépissé's handover (CESEDA R.425-2). */
    static final int REFLECTION_PERIOD_DAYS = 30;

    static final String MINOR_FLAG_BUT_ADULT = "subject.minor contradicts subject.birthDate: subject.minor is true"
            + " but subject.birthDate is 18 years or more before today; correct whichever is wrong (a minor is a"
            + " person under 18, Code civil art. 388)";
    static final String ADULT_FLAG_BUT_MINOR = "subject.minor contradicts subject.birthDate: subject.minor is false"
            + " but subject.birthDate is less than 18 years before today; correct whichever is wrong (a minor is a"
            + " person under 18, Code civil art. 388)";
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
    static final String ESTIMATED_AGE_DOUBTFUL = "removal objective refused: subject.estimatedAge is within two"
            + " years of 18 and no subject.birthDate is given, so the person is presumed a minor (the doubt benefits"
            + " the person, Code civil art. 388), and a minor cannot be the subject of an obligation to leave French"
            + " territory (CESEDA L.611-3)";
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
    static final String OFFENCES_WITHOUT_CONVICTION = "offences without a conviction: judgment.outcome is acquitted"
            + " or dismissed, so no offence was retained; remove judgment.offences or correct the outcome (CESEDA"
            + " L.425-3)";
    static final String CARD_DATES_INVERTED = "card validity inverted: card.validUntil is before card.validFrom,"
            + " and the card protects the person from its first to its last day of validity (CESEDA L.425-1,"
            + " L.425-3, L.425-4)";

    private Rules() {}

    /**
     * The rules {@code document} breaks, in a fixed order (its type's rules, then the subject's, which hold for
     * every type); empty when it keeps them all. A missing right of the five is one message each.
     *
     * @param today the submission day, against which ages and the end of a reflection period are judged
     */
    static List<String> broken(ReferralType type, JsonNode document, LocalDate today) {
        List<String> broken = new ArrayList<>();
        switch (type) {
            case VICTIM_ORIENTATION, SHELTER_REQUEST -> consent(type, document, broken);
            case RESIDENCE_PERMIT_SUPPORT -> {
                consent(type, document, broken);
                if (!document.path("hearing").path("byQualifiedStaff").asBoolean(false)) {
                    broken.add(HEARING_NOT_ATTESTED);
                }
                rightsInformed(type, document, broken);
            }
            case REFLECTION_PERIOD_REQUEST -> {
                consent(type, document, broken);
                rightsInformed(type, document, broken);
            }
            case REMOVAL_OBJECTIVE -> {
                reflectionPeriod(document.path("reflectionPeriod"), today, broken);
                minor(document, today, broken);
            }
            case REFLECTION_PERIOD_DECISION -> reflectionDecision(document, broken);
            case RESIDENCE_PERMIT_DECISION -> permitDecision(document, broken);
            case ADMINISTRATIVE_CLOSURE, ILLEGAL_WORK_REPORT, CLOSURE_PROPOSAL, PUBLIC_FUNDING_ALERT -> ClosureRules
                    .check(type, document, broken);
            case EXIT_PATHWAY_DECISION -> ExitPathwayRules.decision(document, broken);
            case PROCEEDING_OUTCOME -> {
                JsonNode judgment = document.path("judgment");
                if (!judgment.path("outcome").asText().equals("convicted") && judgment.has("offences")) {
                    broken.add(OFFENCES_WITHOUT_CONVICTION);
                }
            }
            default -> {
                // No rule of its own beyond the schema.
            }
        }
        minorFlag(document.path("subject"), today, broken);
        return List.copyOf(broken);
    }

    /** The message of a person-carrying referral whose consent is not given. */
    static String consentNotGiven(ReferralType type) {
        return "consent not given: a " + type + " needs consent.given true, because the person's data are shared"
                + " only with their explicit consent (GDPR art. 9(2)(a))";
    }

    /** The message of a rights-carrying referral whose person was not told of {@code right}, one of {@link #RIGHTS}. */
    static String rightMissing(ReferralType type, String right) {
        return "rights information incomplete: a " + type + " needs rightsInformation.items to hold " + right + " ("
                + RIGHT_MEANINGS.get(right) + "), because the person must be told of each of the five rights before"
                + " the referral (CESEDA R.425-1; instruction of 11 July 2025)";
    }

    /** The message of a rights-carrying referral whose information was not given in a language the person knows. */
    static String rightsNotUnderstood(ReferralType type) {
        return "rights information not understood: a " + type + " needs rightsInformation.language, or"
                + " rightsInformation.interpreter.language, to be one of subject.languages, because the person must"
                + " be informed in a language they understand or through an interpreter who speaks one"
                + " (CESEDA R.425-1)";
    }

    /** The message of a rights-carrying referral whose interview was not confidential. */
    static String rightsNotConfidential(ReferralType type) {
        return "rights interview not confidential: a " + type + " needs rightsInformation.confidential true,"
                + " because the person must be informed in confidence, away from anyone who could put them under"
                + " pressure (CESEDA R.425-1)";
    }

    // The schema requires the whole consent record; what it cannot say is that a refusal stops the referral.
    private static void consent(ReferralType type, JsonNode document, List<String> broken) {
        if (!document.path("consent").path("given").asBoolean(false)) {
            broken.add(consentNotGiven(type));
        }
    }

    // The gateway judges minority itself (Minority); the sender's flag may say more than the date, never the opposite.
    private static void minorFlag(JsonNode subject, LocalDate today, List<String> broken) {
        Optional<LocalDate> birthDate = IsoDates.of(subject.path("birthDate"));
        JsonNode flag = subject.path("minor");
        if (birthDate.isEmpty() || !flag.isBoolean()) {
            return;
        }
        boolean minorByDate = Minority.isUnderMajority(birthDate.get(), today);
        if (flag.booleanValue() && !minorByDate) {
            broken.add(MINOR_FLAG_BUT_ADULT);
        } else if (!flag.booleanValue() && minorByDate) {
            broken.add(ADULT_FLAG_BUT_MINOR);
        }
    }

    private static void reflectionPeriod(JsonNode period, LocalDate today, List<String> broken) {
        boolean running = period.path("running").asBoolean(false);
        Optional<LocalDate> endsOn = IsoDates.of(period.path("endsOn"));
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
    private static void minor(JsonNode document, LocalDate today, List<String> broken) {
        JsonNode subject = document.path("subject");
        int before = broken.size();
        if (subject.path("minor").asBoolean(false)) {
            broken.add(SUBJECT_MINOR);
        }
        if (IsoDates.of(subject.path("birthDate"))
                .filter(birth -> Minority.isUnderMajority(birth, today))
                .isPresent()) {
            broken.add(BIRTH_DATE_MINOR);
        }
        JsonNode estimatedAge = subject.path("estimatedAge");
        if (estimatedAge.isIntegralNumber() && estimatedAge.asInt() < Minority.MAJORITY) {
            broken.add(ESTIMATED_AGE_MINOR);
        }
        // Left: an estimated 18 or 19 without a birth date, which the doubt turns into a presumed minor.
        if (broken.size() == before && Minority.of(document, today).treatedAsMinor()) {
            broken.add(ESTIMATED_AGE_DOUBTFUL);
        }
    }

    private static void reflectionDecision(JsonNode document, List<String> broken) {
        JsonNode receipt = document.path("receipt");
        Optional<LocalDate> handedOverOn = IsoDates.of(receipt.path("handedOverOn"));
        Optional<LocalDate> endsOn = IsoDates.of(receipt.path("endsOn"));
        if (handedOverOn.isPresent() && endsOn.isPresent()) {
            if (endsOn.get().isBefore(handedOverOn.get())) {
                broken.add(RECEIPT_ENDS_BEFORE_HANDOVER);
            } else if (endsOn.get().isAfter(handedOverOn.get().plusDays(REFLECTION_PERIOD_DAYS))) {
                broken.add(RECEIPT_TOO_LONG);
            }
        }
        Optional<LocalDate> earlyEnd = IsoDates.of(document.path("earlyEnd").path("on"));
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
        Optional<LocalDate> validFrom = IsoDates.of(card.path("validFrom"));
        Optional<LocalDate> validUntil = IsoDates.of(card.path("validUntil"));
        if (validFrom.isPresent() && validUntil.isPresent() && validUntil.get().isBefore(validFrom.get())) {
            broken.add(CARD_DATES_INVERTED);
        }
    }

    private static void rightsInformed(ReferralType type, JsonNode document, List<String> broken) {
        JsonNode information = document.path("rightsInformation");
        Set<String> told = new HashSet<>();
        information.path("items").forEach(item -> told.add(item.asText()));
        RIGHTS.stream()
                .filter(right -> !told.contains(right))
                .map(right -> rightMissing(type, right))
                .forEach(broken::add);
        Set<String> understood = new HashSet<>();
        document.path("subject").path("languages").forEach(language -> understood.add(language.asText()));
        JsonNode interpreter = information.path("interpreter");
        boolean direct = understood.contains(information.path("language").asText());
        boolean interpreted = interpreter.isObject()
                && understood.contains(interpreter.path("language").asText());
        if (!direct && !interpreted) {
            broken.add(rightsNotUnderstood(type));
        }
        if (!information.path("confidential").asBoolean(false)) {
            broken.add(rightsNotConfidential(type));
        }
    }
}
