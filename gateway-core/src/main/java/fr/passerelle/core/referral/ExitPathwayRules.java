package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The exit pathway's rules that one decision shows by itself (CASF L.121-9, CESEDA L.425-4): a term of six months at
 * most, an APS and an AFIS that agree with the outcome. The rules that need earlier referrals (the renewal chain and
 * the 24 months) are the exchange's ({@code fr.passerelle.core.pathway.ExitPathways}). Messages name the rule, the
 * fields and the fix, never a value.
 */
final class ExitPathwayRules {
    /** How long one term of the pathway lasts at most, in months (CASF L.121-9 and its decree of 28 October 2016). */
    static final int TERM_MONTHS = 6;

    static final String TERM_INVERTED = "exit-pathway term inverted: term.until is before term.from; a term runs"
            + " from its first to its last day (CASF L.121-9)";
    static final String TERM_TOO_LONG = "exit-pathway term too long: term.until is more than 6 months after"
            + " term.from, and the prefect authorises the pathway for 6 months at a time (CASF L.121-9 and its"
            + " decree of 28 October 2016); set term.until at most 6 months after term.from, less one day, and"
            + " renew the pathway for what follows";
    static final String REFUSAL_WITH_TERM = "exit-pathway refusal with a term: decision.outcome is refused, so the"
            + " decision opens no term, APS or AFIS; remove term, aps and afis, or correct the outcome";
    static final String APS_AGAINST_OUTCOME = "exit-pathway APS inconsistent: aps.action issue or renew goes with"
            + " decision.outcome granted or renewed, and end with ended; correct aps.action or the outcome"
            + " (CESEDA L.425-4)";
    static final String APS_SHORTER_THAN_TERM = "exit-pathway APS too short: aps.validUntil is before term.until,"
            + " and the APS covers the whole term of the pathway (CESEDA L.425-4); set aps.validUntil to term.until"
            + " or later";
    static final String APS_WITHOUT_NATIONALITY = "exit-pathway APS without nationality: an aps block concerns a"
            + " foreign person, so subject.nationality is required (CESEDA L.425-4)";
    static final String AFIS_AGAINST_OUTCOME = "exit-pathway AFIS inconsistent: afis.action open or continue goes"
            + " with decision.outcome granted or renewed, and end with ended; correct afis.action or the outcome"
            + " (CASF L.121-9)";

    private ExitPathwayRules() {}

    /** The last day a term beginning on {@code from} may run to. */
    static LocalDate lastDay(LocalDate from) {
        return from.plusMonths(TERM_MONTHS).minusDays(1);
    }

    static void decision(JsonNode document, List<String> broken) {
        String outcome = document.path("decision").path("outcome").asText();
        boolean opens = outcome.equals("granted") || outcome.equals("renewed");
        JsonNode term = document.path("term");
        Optional<LocalDate> from = IsoDates.of(term.path("from"));
        Optional<LocalDate> until = IsoDates.of(term.path("until"));
        if (outcome.equals("refused") && (term.isObject() || document.has("aps") || document.has("afis"))) {
            broken.add(REFUSAL_WITH_TERM);
            return;
        }
        if (from.isPresent() && until.isPresent()) {
            if (until.get().isBefore(from.get())) {
                broken.add(TERM_INVERTED);
            } else if (opens && until.get().isAfter(lastDay(from.get()))) {
                broken.add(TERM_TOO_LONG);
            }
        }
        JsonNode aps = document.path("aps");
        agrees(aps, opens, Set.of("issue", "renew"), APS_AGAINST_OUTCOME, broken);
        if (aps.isObject()) {
            Optional<LocalDate> apsUntil = IsoDates.of(aps.path("validUntil"));
            if (opens
                    && apsUntil.isPresent()
                    && until.isPresent()
                    && apsUntil.get().isBefore(until.get())) {
                broken.add(APS_SHORTER_THAN_TERM);
            }
            if (!document.path("subject").has("nationality")) {
                broken.add(APS_WITHOUT_NATIONALITY);
            }
        }
        agrees(document.path("afis"), opens, Set.of("open", "continue"), AFIS_AGAINST_OUTCOME, broken);
    }

    /** A block's action opens (or continues) what it names exactly when the decision opens a term. */
    private static void agrees(
            JsonNode block, boolean opens, Set<String> opening, String message, List<String> broken) {
        if (block.isObject() && opens != opening.contains(block.path("action").asText())) {
            broken.add(message);
        }
    }
}
