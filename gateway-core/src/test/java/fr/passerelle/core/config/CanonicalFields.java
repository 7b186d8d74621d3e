package fr.passerelle.core.config;

import fr.passerelle.core.referral.ReferralType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dotted paths of docs/CANONICAL.md, typed in by hand, so that the shipped routes can be checked against the
 * canonical names before the schemas exist. When the schemas land, the real checks replace this.
 */
final class CanonicalFields {
    private static final List<String> COMMON = List.of("schemaVersion", "type", "department", "urgency",
            "senderReference");
    private static final List<String> SUBJECT = List.of("subject", "subject.givenName", "subject.familyName",
            "subject.alias", "subject.birthDate", "subject.estimatedAge", "subject.minor", "subject.gender",
            "subject.nationality", "subject.languages", "subject.contact", "subject.contact.channel",
            "subject.contact.phone", "subject.contact.email", "subject.contact.safeTimes");
    private static final List<String> REFERRER = List.of("referrer", "referrer.unit", "referrer.officerRio",
            "referrer.staffReference", "referrer.phone", "referrer.email");
    private static final List<String> RIGHTS = List.of("rightsInformation", "rightsInformation.informedAt",
            "rightsInformation.language", "rightsInformation.officerRio", "rightsInformation.items");

    private static final Map<ReferralType, List<List<String>>> BY_TYPE = Map.of(
            ReferralType.VICTIM_ORIENTATION, List.of(SUBJECT, REFERRER, List.of("consent", "consent.given",
                    "consent.recordedAt", "consent.recordedBy", "consent.scope", "needs", "situation",
                    "situation.context", "situation.safetyConcerns", "notes")),
            ReferralType.SHELTER_REQUEST, List.of(SUBJECT, REFERRER, List.of("household", "household.adults",
                    "household.children", "shelter", "shelter.neededFrom", "shelter.nights",
                    "shelter.safeLocationRequired", "shelter.constraints", "administrativeStatus", "resources",
                    "resources.hasIncome", "resources.monthlyIncomeEuros", "health", "health.medicalFollowUp",
                    "health.urgentCare", "socialAssessment", "socialAssessment.done",
                    "socialAssessment.recommendation", "socialAssessment.summary", "offence", "offence.qualification",
                    "offence.procedureReference")),
            ReferralType.RESIDENCE_PERMIT_SUPPORT, List.of(SUBJECT, REFERRER, RIGHTS, List.of("basis", "complaint",
                    "complaint.receiptNumber", "complaint.filedAt", "complaint.unit", "proceeding",
                    "proceeding.reference", "proceeding.unit", "offences", "hearing", "hearing.byQualifiedStaff",
                    "hearing.heardAt", "hearing.unit", "hearing.officerRio", "tiesCut")),
            ReferralType.REFLECTION_PERIOD_REQUEST, List.of(SUBJECT, REFERRER, RIGHTS, List.of("choice",
                    "choice.chosenAt", "choice.recordedBy")),
            ReferralType.EXPLOITATION_REPORT, List.of(SUBJECT, List.of("place", "place.commune", "place.inseeCode",
                    "place.establishmentType", "place.address", "indicators", "observedAt", "estimatedVictims",
                    "minorsSuspected", "informant", "informant.protected", "informant.kind",
                    "informant.contactThroughAssociation", "narrative")),
            ReferralType.REMOVAL_OBJECTIVE, List.of(SUBJECT, List.of("decision", "decision.kind",
                    "decision.reference", "decision.decidedAt", "action", "reflectionPeriod",
                    "reflectionPeriod.running", "reflectionPeriod.endsOn", "lastKnownPlace", "lastKnownPlace.commune",
                    "lastKnownPlace.address")),
            ReferralType.ADMINISTRATIVE_CLOSURE, List.of(List.of("establishment", "establishment.name",
                    "establishment.commune", "establishment.inseeCode", "establishment.address", "action",
                    "action.kind", "action.plannedFor", "action.legalBasis", "participants", "codaf")),
            ReferralType.DIFFICULTY_REPORT, List.of(List.of("category", "summary", "relatedReferralId")),
            ReferralType.REFERRAL_RECEIPT, List.of(List.of("status", "reason", "referralId")));
    /** The prefecture's decisions, apart because Map.of takes at most ten types. */
    private static final Map<ReferralType, List<List<String>>> DECISIONS = Map.of(
            ReferralType.REFLECTION_PERIOD_DECISION, List.of(SUBJECT, List.of("requestReferralId", "receipt",
                    "receipt.number", "receipt.handedOverOn", "receipt.endsOn", "earlyEnd", "earlyEnd.on",
                    "earlyEnd.reason")),
            ReferralType.RESIDENCE_PERMIT_DECISION, List.of(SUBJECT, List.of("requestReferralId", "decision",
                    "decision.outcome", "decision.decidedOn", "card", "card.kind", "card.number", "card.validFrom",
                    "card.validUntil")));

    private CanonicalFields() {
    }

    static Set<String> of(ReferralType type) {
        Set<String> fields = new LinkedHashSet<>(COMMON);
        BY_TYPE.getOrDefault(type, DECISIONS.get(type)).forEach(fields::addAll);
        return fields;
    }

    static ConfigChecks checks() {
        return new ConfigChecks(id -> true, id -> true, CanonicalFields::of);
    }
}
