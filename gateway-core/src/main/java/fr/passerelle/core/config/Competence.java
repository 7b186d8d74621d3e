package fr.passerelle.core.config;

import static fr.passerelle.core.partner.PartnerKind.ASSOCIATION;
import static fr.passerelle.core.partner.PartnerKind.CAF;
import static fr.passerelle.core.partner.PartnerKind.COHESION;
import static fr.passerelle.core.partner.PartnerKind.CPAM;
import static fr.passerelle.core.partner.PartnerKind.CRIP;
import static fr.passerelle.core.partner.PartnerKind.CUSTOMS;
import static fr.passerelle.core.partner.PartnerKind.DGCS;
import static fr.passerelle.core.partner.PartnerKind.EMPLOYMENT;
import static fr.passerelle.core.partner.PartnerKind.FUNDER;
import static fr.passerelle.core.partner.PartnerKind.GENDARMERIE;
import static fr.passerelle.core.partner.PartnerKind.LABOUR;
import static fr.passerelle.core.partner.PartnerKind.MIPROF;
import static fr.passerelle.core.partner.PartnerKind.MONITORING;
import static fr.passerelle.core.partner.PartnerKind.POLICE;
import static fr.passerelle.core.partner.PartnerKind.PREFECTURE;
import static fr.passerelle.core.partner.PartnerKind.PROSECUTOR;
import static fr.passerelle.core.partner.PartnerKind.SECURITY;
import static fr.passerelle.core.partner.PartnerKind.SIAO;
import static fr.passerelle.core.partner.PartnerKind.SOCIAL;
import static fr.passerelle.core.partner.PartnerKind.TAX;
import static fr.passerelle.core.partner.PartnerKind.URSSAF;

import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.ReferralType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one table of what the instruction of 11 July 2025 intends: who may send and who may receive each message
 * type, after DESIGN.md's message table and CANONICAL.md (docs/ADMIN.md, "Safety checks", prints it). Routes are
 * checked against {@code RECEIVERS} (rule {@link SafetyRule#RECIPIENT_INTENDED}): for instance no
 * {@code removal.objective} to an association, no {@code exploitation.report} to a SIAO. "Police" in the
 * instruction means the forces that investigate, so the gendarmerie stands beside the police wherever the police
 * may send. The child-protection cell (CRIP) may receive what may concern a minor in danger (law 2002-305), and
 * with the juvenile section of the prosecutor's office the child-protection alerts (CASF L.226-3, L.226-4).
 */
final class Competence {
    private static final Map<ReferralType, Set<PartnerKind>> SENDERS = Map.ofEntries(
            Map.entry(ReferralType.VICTIM_ORIENTATION, EnumSet.of(POLICE, GENDARMERIE, SOCIAL)),
            Map.entry(ReferralType.SHELTER_REQUEST, EnumSet.of(POLICE, GENDARMERIE, ASSOCIATION, SOCIAL)),
            Map.entry(ReferralType.RESIDENCE_PERMIT_SUPPORT, EnumSet.of(POLICE, GENDARMERIE)),
            Map.entry(ReferralType.REFLECTION_PERIOD_REQUEST, EnumSet.of(POLICE, GENDARMERIE, ASSOCIATION)),
            Map.entry(ReferralType.EXPLOITATION_REPORT, EnumSet.of(ASSOCIATION)),
            Map.entry(ReferralType.REMOVAL_OBJECTIVE, EnumSet.of(PREFECTURE)),
            // The prefect orders a closure through the cabinet (security), or, as before, its foreigners' department.
            Map.entry(ReferralType.ADMINISTRATIVE_CLOSURE, EnumSet.of(PREFECTURE, SECURITY)),
            // The closure chain (Labour Code L.8272-1, -2, -4): the report of illegal work, the police's proposal,
            // the prefect's alert to public funders.
            Map.entry(ReferralType.ILLEGAL_WORK_REPORT, EnumSet.of(LABOUR, URSSAF)),
            Map.entry(ReferralType.CLOSURE_PROPOSAL, EnumSet.of(POLICE, GENDARMERIE)),
            Map.entry(ReferralType.PUBLIC_FUNDING_ALERT, EnumSet.of(SECURITY)),
            Map.entry(ReferralType.DIFFICULTY_REPORT, EnumSet.allOf(PartnerKind.class)),
            Map.entry(ReferralType.REFLECTION_PERIOD_DECISION, EnumSet.of(PREFECTURE)),
            Map.entry(ReferralType.RESIDENCE_PERMIT_DECISION, EnumSet.of(PREFECTURE)),
            // Exit pathway (CASF L.121-9): the approved association applies; the commission's secretariat (the
            // prefect's social-cohesion services) sends the commission's opinion and the prefect's decision.
            Map.entry(ReferralType.EXIT_PATHWAY_APPLICATION, EnumSet.of(ASSOCIATION)),
            Map.entry(ReferralType.EXIT_PATHWAY_OPINION, EnumSet.of(COHESION)),
            Map.entry(ReferralType.EXIT_PATHWAY_DECISION, EnumSet.of(COHESION)),
            // The investigators or the prosecutor know how the proceeding ended (CESEDA L.425-3).
            Map.entry(ReferralType.PROCEEDING_OUTCOME, EnumSet.of(POLICE, GENDARMERIE, PROSECUTOR)),
            // Whoever meets a minor in danger informs the CRIP (CASF L.226-2-1, L.226-3).
            Map.entry(
                    ReferralType.CHILD_PROTECTION_ALERT,
                    EnumSet.of(POLICE, GENDARMERIE, ASSOCIATION, SOCIAL, SIAO, PREFECTURE, LABOUR, URSSAF)),
            // The sender of a referral that rests on consent withdraws it on the person's behalf.
            Map.entry(ReferralType.CONSENT_WITHDRAWN, EnumSet.of(POLICE, GENDARMERIE, ASSOCIATION, SOCIAL)),
            Map.entry(ReferralType.REFERRAL_RECEIPT, EnumSet.allOf(PartnerKind.class)));

    private static final Map<ReferralType, Set<PartnerKind>> RECEIVERS = Map.ofEntries(
            // The SIAO learns of an orientation only when the person agrees (consent.scope), to plan a shelter.
            Map.entry(ReferralType.VICTIM_ORIENTATION, EnumSet.of(ASSOCIATION, SIAO, CRIP)),
            Map.entry(ReferralType.SHELTER_REQUEST, EnumSet.of(SIAO, CRIP, ASSOCIATION)),
            Map.entry(ReferralType.RESIDENCE_PERMIT_SUPPORT, EnumSet.of(PREFECTURE)),
            Map.entry(ReferralType.REFLECTION_PERIOD_REQUEST, EnumSet.of(PREFECTURE)),
            Map.entry(ReferralType.EXPLOITATION_REPORT, EnumSet.of(POLICE, GENDARMERIE, CRIP)),
            Map.entry(ReferralType.REMOVAL_OBJECTIVE, EnumSet.of(POLICE, GENDARMERIE)),
            // The CODAF's members, and the public prosecutor who co-chairs it.
            Map.entry(
                    ReferralType.ADMINISTRATIVE_CLOSURE,
                    EnumSet.of(POLICE, GENDARMERIE, LABOUR, URSSAF, TAX, CUSTOMS, CAF, CPAM, EMPLOYMENT, PROSECUTOR)),
            // The prefect decides (the cabinet); the prosecutor receives the report of illegal work (L.8271-8).
            Map.entry(ReferralType.ILLEGAL_WORK_REPORT, EnumSet.of(SECURITY, PROSECUTOR)),
            Map.entry(ReferralType.CLOSURE_PROPOSAL, EnumSet.of(SECURITY)),
            // Whoever grants public aid to employers (L.8272-1): funders, France Travail, the CAF.
            Map.entry(ReferralType.PUBLIC_FUNDING_ALERT, EnumSet.of(FUNDER, EMPLOYMENT, CAF)),
            Map.entry(ReferralType.DIFFICULTY_REPORT, EnumSet.of(MONITORING, DGCS, MIPROF)),
            // A decision goes back to the partner that made the request: whoever may request may receive it.
            Map.entry(ReferralType.REFLECTION_PERIOD_DECISION, EnumSet.of(POLICE, GENDARMERIE, ASSOCIATION)),
            Map.entry(ReferralType.RESIDENCE_PERMIT_DECISION, EnumSet.of(POLICE, GENDARMERIE)),
            // The foreigners' department learns of an application that asks for an APS (CESEDA L.425-4), and of a
            // decision that issues, renews or ends one; the CAF of a decision about the AFIS allowance.
            Map.entry(ReferralType.EXIT_PATHWAY_APPLICATION, EnumSet.of(COHESION, PREFECTURE)),
            Map.entry(ReferralType.EXIT_PATHWAY_OPINION, EnumSet.of(ASSOCIATION)),
            Map.entry(ReferralType.EXIT_PATHWAY_DECISION, EnumSet.of(ASSOCIATION, PREFECTURE, CAF)),
            // The foreigners' department, which issues the L.425-3 resident card.
            Map.entry(ReferralType.PROCEEDING_OUTCOME, EnumSet.of(PREFECTURE)),
            Map.entry(ReferralType.CHILD_PROTECTION_ALERT, EnumSet.of(CRIP, PROSECUTOR)),
            // Not routed: the notice goes to whoever holds a copy of the referral.
            Map.entry(ReferralType.CONSENT_WITHDRAWN, EnumSet.noneOf(PartnerKind.class)),
            Map.entry(ReferralType.REFERRAL_RECEIPT, EnumSet.noneOf(PartnerKind.class)));

    private Competence() {}

    static boolean maySend(PartnerKind kind, ReferralType type) {
        return SENDERS.get(type).contains(kind);
    }

    static boolean mayReceive(PartnerKind kind, ReferralType type) {
        return RECEIVERS.get(type).contains(kind);
    }

    static String senders(ReferralType type) {
        return codes(SENDERS.get(type));
    }

    static String receivers(ReferralType type) {
        return codes(RECEIVERS.get(type));
    }

    /** The types a kind may submit, in the enum's order, receipts excluded (they are not submitted). */
    static String sendable(PartnerKind kind) {
        return SENDERS.entrySet().stream()
                .filter(e -> e.getKey() != ReferralType.REFERRAL_RECEIPT
                        && e.getValue().contains(kind))
                .map(Map.Entry::getKey)
                .sorted()
                .map(ReferralType::code)
                .collect(Collectors.joining(", "));
    }

    /** "a police", "an association": for messages. */
    static String aKind(PartnerKind kind) {
        return ("aeiou".indexOf(kind.code().charAt(0)) >= 0 ? "an " : "a ") + kind.code();
    }

    private static String codes(Set<PartnerKind> kinds) {
        return kinds.stream().map(PartnerKind::code).collect(Collectors.joining(", "));
    }
}
