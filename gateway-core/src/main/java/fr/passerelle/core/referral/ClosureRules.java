package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The closure chain's rules that a JSON Schema cannot say (Labour Code L.8272-1, L.8272-2, L.8272-4): the
 * establishment's SIRET holds its check digit, the operator is named as what it is, and no measure lasts longer
 * than its article allows. Checked by {@link Rules} on a document that already matches its schema; each message
 * names the field, the rule and the fix, never a value.
 */
final class ClosureRules {
    /** L.8272-2: an administrative closure lasts at most three months. */
    static final int CLOSURE_MONTHS = 3;
    /** L.8272-4: an exclusion from public contracts lasts at most six months. */
    static final int EXCLUSION_MONTHS = 6;
    /** A duration in days is measured against the longest months: 31 days each (93 for three, 186 for six). */
    static final int LONGEST_MONTH_DAYS = 31;
    /**
     * La Poste's establishments share one SIREN; but for its head office, which keeps the Luhn sum, they sum their
     * digits to a multiple of 5 instead (INSEE).
     */
    static final String LA_POSTE_SIREN = "356000000";

    static final String SIRET_CHECK_DIGIT = "establishment.siret fails its check digit: a SIRET is 14 digits whose"
            + " Luhn sum is a multiple of 10 (INSEE, SIRENE register); copy it again from the register"
            + " (annuaire-entreprises.data.gouv.fr) or from the establishment's K-bis extract";
    static final String SIRET_REQUIRED = "establishment.siret missing: an administrative-closure names the"
            + " establishment by its SIRET (14 digits), so that each CODAF member finds it in its own files"
            + " (Labour Code L.8272-2)";
    static final String NATURAL_PERSON_UNNAMED = "operator.familyName missing: an operator of kind natural-person"
            + " is named by familyName (and givenName); give them, or use kind legal-person with name for a company";
    static final String LEGAL_PERSON_UNNAMED = "operator.name missing: an operator of kind legal-person is named by"
            + " name (its dénomination); give it, or use kind natural-person for a sole trader";
    static final String LEGAL_PERSON_WITH_NAMES = "operator.givenName or operator.familyName given for a legal"
            + " person: a company has no given or family name, and a person's names travel only when the operator"
            + " is that person; remove them, or use kind natural-person";
    static final String CLOSURE_BASIS_REQUIRED = "action.legalBasis missing: an administrative-closure needs its"
            + " coded legal basis (l8272-2-closure, l8272-4-public-contracts or judicial-closure)";
    static final String CLOSURE_BASIS_PUBLIC_AID = "action.legalBasis l8272-1-public-aid is not a closure: Labour"
            + " Code L.8272-1 refuses or takes back public aid; send it as a public.funding.alert, and give the"
            + " administrative-closure the basis of the closure (l8272-2-closure, l8272-4-public-contracts or"
            + " judicial-closure)";
    static final String ORDERED_DURATION_REQUIRED = "action.orderedDuration missing: an administrative-closure"
            + " ordered by the prefect states its duration (Labour Code L.8272-2, L.8272-4)";
    static final String ORDER_REQUIRED = "order missing: an administrative-closure carries the prefect's order,"
            + " with its reference and the day it was signed (and, once done, notifiedOn)";
    static final String ORDER_NOTIFIED_BEFORE_SIGNED = "order.notifiedOn is before order.signedOn: an order is"
            + " notified to the operator after the prefect signs it; correct whichever is wrong";

    private ClosureRules() {}

    /** Appends to {@code broken} the rules of the closure chain that {@code document}, of {@code type}, breaks. */
    static void check(ReferralType type, JsonNode document, List<String> broken) {
        JsonNode siret = document.path("establishment").path("siret");
        if (siret.isTextual() && !siretValid(siret.textValue())) {
            broken.add(SIRET_CHECK_DIGIT);
        }
        operator(document.path("operator"), broken);
        JsonNode action = document.path("action");
        Optional<String> basis = Optional.of(action.path("legalBasis"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue);
        duration("action.proposedDuration", action.path("proposedDuration"), basis, broken);
        duration("action.orderedDuration", action.path("orderedDuration"), basis, broken);
        if (type == ReferralType.ADMINISTRATIVE_CLOSURE
                && "administrative-closure".equals(action.path("kind").asText())) {
            closureOrder(document, basis, broken);
        }
        JsonNode order = document.path("order");
        Optional<LocalDate> signed = IsoDates.of(order.path("signedOn"));
        Optional<LocalDate> notified = IsoDates.of(order.path("notifiedOn"));
        if (signed.isPresent() && notified.filter(n -> n.isBefore(signed.get())).isPresent()) {
            broken.add(ORDER_NOTIFIED_BEFORE_SIGNED);
        }
    }

    /**
     * Whether {@code siret}, 14 digits, holds its check digit: a Luhn sum that is a multiple of 10, or, for La
     * Poste's establishments (SIREN {@value #LA_POSTE_SIREN}), a digit sum that is a multiple of 5.
     */
    static boolean siretValid(String siret) {
        if (siret.length() != 14 || !siret.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return luhn(siret)
                || (siret.startsWith(LA_POSTE_SIREN)
                        && siret.chars().map(c -> c - '0').sum() % 5 == 0);
    }

    private static boolean luhn(String siret) {
        int sum = 0;
        for (int i = 0; i < 14; i++) {
            int digit = siret.charAt(13 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    /** The message of a duration longer than {@code basis} allows. */
    static String tooLong(String field, String basis, int months) {
        String article = "l8272-2-closure".equals(basis) ? "L.8272-2" : "L.8272-4";
        String measure = "l8272-2-closure".equals(basis)
                ? "an administrative closure lasts"
                : "an exclusion from public contracts lasts";
        return field + " too long: " + measure + " at most " + months + " months (Labour Code " + article + "), or "
                + months * LONGEST_MONTH_DAYS + " days; shorten it, or, for a longer closure, ask the court"
                + " (judicial-closure)";
    }

    /** The message of a duration given both in months and in days. */
    static String twoUnits(String field) {
        return field + " gives both months and days: give one of them";
    }

    /** The message of a duration on a basis that has none. */
    static String durationWithoutTerm(String field) {
        return field + " given for l8272-1-public-aid: Labour Code L.8272-1 has no closure to time; remove it (the"
                + " refusal of aid is timed by aid.refusalMonths in a public.funding.alert)";
    }

    private static void operator(JsonNode operator, List<String> broken) {
        String kind = operator.path("kind").asText("");
        boolean names = operator.has("givenName") || operator.has("familyName");
        if ("natural-person".equals(kind) && !operator.has("familyName")) {
            broken.add(NATURAL_PERSON_UNNAMED);
        } else if ("legal-person".equals(kind)) {
            if (!operator.has("name")) {
                broken.add(LEGAL_PERSON_UNNAMED);
            }
            if (names) {
                broken.add(LEGAL_PERSON_WITH_NAMES);
            }
        }
    }

    private static void duration(String field, JsonNode duration, Optional<String> basis, List<String> broken) {
        if (!duration.isObject()) {
            return;
        }
        if (duration.has("months") && duration.has("days")) {
            broken.add(twoUnits(field));
            return;
        }
        if (basis.filter("l8272-1-public-aid"::equals).isPresent()) {
            broken.add(durationWithoutTerm(field));
            return;
        }
        int limit = basis.map(b -> switch (b) {
                    case "l8272-2-closure" -> CLOSURE_MONTHS;
                    case "l8272-4-public-contracts" -> EXCLUSION_MONTHS;
                    default -> 0;
                })
                .orElse(0);
        if (limit == 0) {
            // A judicial closure lasts what the court decides; without a basis, nothing to measure against.
            return;
        }
        boolean over = duration.has("months")
                ? duration.path("months").asInt() > limit
                : duration.path("days").asInt() > limit * LONGEST_MONTH_DAYS;
        if (over) {
            broken.add(tooLong(field, basis.get(), limit));
        }
    }

    private static void closureOrder(JsonNode document, Optional<String> basis, List<String> broken) {
        if (basis.isEmpty()) {
            broken.add(CLOSURE_BASIS_REQUIRED);
        } else if ("l8272-1-public-aid".equals(basis.get())) {
            broken.add(CLOSURE_BASIS_PUBLIC_AID);
        }
        if (!document.path("establishment").has("siret")) {
            broken.add(SIRET_REQUIRED);
        }
        boolean judicial = basis.filter("judicial-closure"::equals).isPresent();
        if (!judicial && !document.path("action").has("orderedDuration")) {
            broken.add(ORDERED_DURATION_REQUIRED);
        }
        if (!judicial && !document.has("order")) {
            broken.add(ORDER_REQUIRED);
        }
    }
}
