package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The instruction's rules that a JSON Schema cannot say well, checked on a document that already matches its
 * schema. Each broken rule is one message naming the rule, what is missing and its legal basis; no message holds
 * a value from the document.
 */
final class Rules {
    /** The four rights the person must be told of, in the order CESEDA R.425-1 lists them. */
    static final List<String> RIGHTS = List.of(
            "admission-to-stay-and-work", "reception-housing-protection", "rights-cpp-53-1-legal-aid", "reflection-period");

    static final String CONSENT_NOT_RECORDED = "consent not recorded: a victim.orientation needs consent.given true"
            + " and consent.recordedAt, because a victim is oriented to an association only with their explicit"
            + " consent (GDPR art. 9(2)(a))";
    static final String HEARING_NOT_ATTESTED = "hearing not attested: a residence.permit.support needs"
            + " hearing.byQualifiedStaff true, because the person must first be heard by qualified police or"
            + " gendarmerie staff (CESEDA L.425-1; instruction of 11 July 2025)";
    static final String REFLECTION_PERIOD_RUNNING = "removal objective refused: reflectionPeriod.running is true,"
            + " and no removal may be taken or enforced during the reflection period (CESEDA R.425-2)";

    private Rules() {
    }

    /** The rules {@code document} breaks, in a fixed order; empty when it keeps them all. */
    static List<String> broken(ReferralType type, JsonNode document) {
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
                if (document.path("reflectionPeriod").path("running").asBoolean(false)) {
                    broken.add(REFLECTION_PERIOD_RUNNING);
                }
            }
            default -> {
                // No rule beyond the schema.
            }
        }
        return List.copyOf(broken);
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
