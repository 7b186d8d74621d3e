package fr.passerelle.tools.demo;

import fr.passerelle.core.referral.ReferralType;

/** The demo's exit-pathway act: an application, the commission's opinion and the prefect's decision, renewed. */
final class ExitPathwayAct {
    private ExitPathwayAct() {}

    /** The types this act sends, which the every-type loop leaves to it. */
    static boolean plays(ReferralType type) {
        return type == ReferralType.EXIT_PATHWAY_APPLICATION
                || type == ReferralType.EXIT_PATHWAY_OPINION
                || type == ReferralType.EXIT_PATHWAY_DECISION;
    }
}
