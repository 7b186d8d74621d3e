package fr.passerelle.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.Minority;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The child-protection alert the gateway raises itself (CASF L.226-2-1, L.226-3 and L.226-4): from any referral
 * about a person it treats as a minor, and from any exploitation report with minors suspected or present. The
 * alert is a referral of its own, immediate, routed by routes.yaml to the department's CRIP and to the juvenile
 * section of the prosecutor's office; its deadlines escalate like any other. It carries what the CRIP needs to
 * reach the minor and assess the danger, copied from the source: the person, the situation and needs, the place
 * and indicators of a report, and who to call back. The routes' fields decide, as always, what each recipient
 * sees.
 */
final class ChildProtection {
    /** The types an alert may be raised from: those that describe a person or a place where minors may be. */
    static final Set<ReferralType> SOURCES = EnumSet.of(
            ReferralType.VICTIM_ORIENTATION,
            ReferralType.SHELTER_REQUEST,
            ReferralType.RESIDENCE_PERMIT_SUPPORT,
            ReferralType.REFLECTION_PERIOD_REQUEST,
            ReferralType.EXPLOITATION_REPORT);
    /** What the alert copies from its source, when present; the alert's schema holds each of them. */
    private static final List<String> COPIED = List.of(
            "senderReference",
            "situation",
            "needs",
            "place",
            "indicators",
            "observedAt",
            "estimatedVictims",
            "informant",
            "narrative",
            "referrer");

    private static final List<String> SUBJECT_FIELDS = List.of(
            "givenName",
            "familyName",
            "alias",
            "birthDate",
            "estimatedAge",
            "minor",
            "sex",
            "nationality",
            "languages",
            "contact");

    private ChildProtection() {}

    /** Why the referral calls for an alert, as the alert's {@code reasons} codes; empty when it does not. */
    static List<String> reasons(Referral referral, Minority minority) {
        List<String> reasons = new ArrayList<>();
        if (!SOURCES.contains(referral.type())) {
            return reasons;
        }
        if (minority == Minority.MINOR) {
            reasons.add("minor-subject");
        } else if (minority == Minority.PRESUMED_MINOR) {
            reasons.add("presumed-minor");
        }
        JsonNode body = referral.body();
        if (body.path("minorsSuspected").asBoolean(false)) {
            reasons.add("minors-suspected");
        }
        for (JsonNode indicator : body.path("indicators")) {
            if ("minors-present".equals(indicator.asText())) {
                reasons.add("minors-present");
            }
        }
        return reasons;
    }

    /**
     * The alert's canonical document for {@code reasons}.
     *
     * @param source the referral stored beside it, which it names; empty when the alert takes the referral's place
     *               (every route of the referral served adults only)
     */
    static ObjectNode alert(Referral referral, Optional<ReferralId> source, List<String> reasons) {
        ObjectNode body = referral.body();
        ObjectNode alert = body.objectNode();
        alert.put("schemaVersion", 1);
        alert.put("type", ReferralType.CHILD_PROTECTION_ALERT.code());
        alert.put("department", referral.department().code());
        alert.put("urgency", Urgency.IMMEDIATE.code());
        source.ifPresent(id -> alert.put("sourceReferralId", id.toString()));
        alert.put("sourceType", referral.type().code());
        reasons.forEach(alert.putArray("reasons")::add);
        JsonNode subject = body.path("subject");
        if (subject.isObject()) {
            ObjectNode copied = alert.putObject("subject");
            for (String field : SUBJECT_FIELDS) {
                if (subject.has(field)) {
                    copied.set(field, subject.get(field).deepCopy());
                }
            }
        }
        for (String field : COPIED) {
            if (body.has(field)) {
                alert.set(field, body.get(field).deepCopy());
            }
        }
        return alert;
    }
}
