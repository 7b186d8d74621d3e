package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.internal.Text;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The message types of DESIGN.md, by their wire code. Each has a JSON Schema {@code <code>.schema.json}. */
public enum ReferralType {
    VICTIM_ORIENTATION("victim.orientation", "Orientation d'une victime"),
    SHELTER_REQUEST("shelter.request", "Demande de mise à l'abri"),
    RESIDENCE_PERMIT_SUPPORT("residence.permit.support", "Appui à une demande de titre de séjour"),
    REFLECTION_PERIOD_REQUEST("reflection.period.request", "Demande de délai de réflexion"),
    EXPLOITATION_REPORT("exploitation.report", "Signalement d'une situation d'exploitation"),
    REMOVAL_OBJECTIVE("removal.objective", "Fiche objectif (éloignement)"),
    ADMINISTRATIVE_CLOSURE("administrative.closure", "Contrôle coordonné ou fermeture administrative"),
    ILLEGAL_WORK_REPORT("illegal.work.report", "Procès-verbal de travail illégal"),
    CLOSURE_PROPOSAL("closure.proposal", "Proposition de fermeture administrative"),
    PUBLIC_FUNDING_ALERT("public.funding.alert", "Alerte aux financeurs publics (aides publiques)"),
    DIFFICULTY_REPORT("difficulty.report", "Signalement d'une difficulté"),
    REFLECTION_PERIOD_DECISION("reflection.period.decision", "Décision sur le délai de réflexion"),
    RESIDENCE_PERMIT_DECISION("residence.permit.decision", "Décision sur le titre de séjour"),
    EXIT_PATHWAY_APPLICATION("exit.pathway.application", "Demande d'engagement dans un parcours de sortie"),
    EXIT_PATHWAY_OPINION("exit.pathway.opinion", "Avis de la commission sur un parcours de sortie"),
    EXIT_PATHWAY_DECISION("exit.pathway.decision", "Décision du préfet sur un parcours de sortie"),
    PROCEEDING_OUTCOME("proceeding.outcome", "Issue de la procédure pénale (CESEDA L.425-3)"),
    CHILD_PROTECTION_ALERT("child.protection.alert", "Information préoccupante (protection de l'enfance)"),
    CONSENT_WITHDRAWN("consent.withdrawn", "Retrait du consentement"),
    REFERRAL_RECEIPT("referral.receipt", "Accusé de réception");

    private final String code;
    private final String frenchTitle;

    ReferralType(String code, String frenchTitle) {
        this.code = code;
        this.frenchTitle = frenchTitle;
    }

    public String code() {
        return code;
    }

    /** What the people who exchange it call it, for mail and pages: "Demande de mise à l'abri". */
    public String frenchTitle() {
        return frenchTitle;
    }

    /**
     * The processing it belongs to: a removal objective, the closure chain (a report of illegal work, a proposal of
     * closure, a coordinated check or closure, the alert to public funders) and an exploitation report (which goes
     * to investigators) are police-justice flows; everything else, the child-protection alert included, is the
     * support of victims.
     */
    public Domain domain() {
        return switch (this) {
            case REMOVAL_OBJECTIVE,
                    ADMINISTRATIVE_CLOSURE,
                    ILLEGAL_WORK_REPORT,
                    CLOSURE_PROPOSAL,
                    PUBLIC_FUNDING_ALERT,
                    EXPLOITATION_REPORT -> Domain.POLICE_JUSTICE;
            default -> Domain.VICTIM_SUPPORT;
        };
    }

    /**
     * Whether routes.yaml routes it: a receipt always goes back to the referral's sender, and a withdrawal of
     * consent to the partners that hold a copy of the referral it names.
     */
    public boolean routed() {
        return this != REFERRAL_RECEIPT && this != CONSENT_WITHDRAWN;
    }

    public static Optional<ReferralType> find(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }

    /** @throws GatewayException {@code type_unknown} naming the known types */
    public static ReferralType fromCode(String code) {
        return find(code)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.TYPE_UNKNOWN,
                        "referral type '" + Text.token(code, 40) + "' is unknown (expected one of: " + codes() + ")"));
    }

    public static String codes() {
        return Arrays.stream(values()).map(ReferralType::code).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return code;
    }
}
