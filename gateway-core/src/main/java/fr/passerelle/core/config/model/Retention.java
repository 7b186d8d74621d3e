package fr.passerelle.core.config.model;

import fr.passerelle.core.referral.ReferralType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The retention rules of gateway.yaml ({@code retention:}): a default, one rule per type where it differs, and how
 * long the sender's signed original of a CMS-signed submission is kept as evidence.
 */
public record Retention(RetentionRule defaults, Map<ReferralType, RetentionRule> types, Duration signedOriginal) {
    /**
     * The longest {@code after_end} that a legal basis of the gateway's types allows: two years after the last
     * contact, the CNIL's social-support guidance (and what SI-SIAO keeps). Longer is warned about, not refused:
     * a legal obligation may say otherwise.
     */
    public static final Duration LEGAL_AFTER_END = Duration.ofDays(730);
    /** Types that are not stored as referrals: a receipt and a withdrawal of consent act on the referral they name. */
    public static final Set<ReferralType> NOT_STORED =
            EnumSet.of(ReferralType.REFERRAL_RECEIPT, ReferralType.CONSENT_WITHDRAWN);

    /** Transmitted only: the recipient keeps its own file (CRIP, prefecture, police or gendarmerie). */
    private static final RetentionRule TRANSMITTED = days(90, 365);
    /** The values and their legal bases are documented in {@link #standard()} and config/gateway.yaml. */
    private static final Retention STANDARD = new Retention(
            days(730, 1095),
            Map.ofEntries(
                    Map.entry(ReferralType.SHELTER_REQUEST, days(30, 365)),
                    Map.entry(ReferralType.CHILD_PROTECTION_ALERT, TRANSMITTED),
                    Map.entry(ReferralType.RESIDENCE_PERMIT_SUPPORT, TRANSMITTED),
                    Map.entry(ReferralType.REFLECTION_PERIOD_REQUEST, TRANSMITTED),
                    Map.entry(ReferralType.REFLECTION_PERIOD_DECISION, TRANSMITTED),
                    Map.entry(ReferralType.RESIDENCE_PERMIT_DECISION, TRANSMITTED),
                    Map.entry(ReferralType.EXIT_PATHWAY_APPLICATION, TRANSMITTED),
                    Map.entry(ReferralType.EXIT_PATHWAY_OPINION, TRANSMITTED),
                    Map.entry(ReferralType.EXIT_PATHWAY_DECISION, TRANSMITTED),
                    Map.entry(ReferralType.PROCEEDING_OUTCOME, TRANSMITTED),
                    Map.entry(ReferralType.REMOVAL_OBJECTIVE, TRANSMITTED),
                    Map.entry(ReferralType.ADMINISTRATIVE_CLOSURE, TRANSMITTED),
                    Map.entry(ReferralType.ILLEGAL_WORK_REPORT, TRANSMITTED),
                    Map.entry(ReferralType.CLOSURE_PROPOSAL, TRANSMITTED),
                    Map.entry(ReferralType.PUBLIC_FUNDING_ALERT, TRANSMITTED),
                    Map.entry(ReferralType.EXPLOITATION_REPORT, TRANSMITTED),
                    Map.entry(ReferralType.DIFFICULTY_REPORT, days(365, 730))),
            Duration.ofDays(90));

    public Retention {
        Objects.requireNonNull(defaults, "defaults");
        types = Map.copyOf(types);
        Objects.requireNonNull(signedOriginal, "signedOriginal");
    }

    /**
     * The rules that apply where gateway.yaml says nothing, the same that the shipped {@code config/gateway.yaml}
     * writes with their legal bases. (Not {@code defaults()}: that is the accessor of the default rule.)
     * <table>
     *   <caption>Default retention</caption>
     *   <tr><th>types</th><th>after end</th><th>at most</th><th>basis</th></tr>
     *   <tr><td>the default ({@code victim.orientation})</td><td>730 days</td><td>1095 days</td>
     *       <td>CNIL, social support: two years after the last contact</td></tr>
     *   <tr><td>{@code shelter.request}</td><td>30 days</td><td>365 days</td>
     *       <td>the purpose ends when the SIAO answers (CASF L.345-2-4); SI-SIAO keeps its own record</td></tr>
     *   <tr><td>{@code child.protection.alert}</td><td>90 days</td><td>365 days</td>
     *       <td>transmitted only: the CRIP keeps its file (CASF L.226-3)</td></tr>
     *   <tr><td>{@code residence.permit.support}, {@code reflection.period.request},
     *       {@code reflection.period.decision}, {@code residence.permit.decision}, {@code proceeding.outcome}</td>
     *       <td>90 days</td><td>365 days</td><td>transmitted only: the prefecture keeps its file (CESEDA L.425-1,
     *       L.425-3, R.425-1, R.425-2; AGDREF)</td></tr>
     *   <tr><td>{@code exit.pathway.application}, {@code exit.pathway.opinion}, {@code exit.pathway.decision}</td>
     *       <td>90 days</td><td>365 days</td><td>transmitted only: the commission's secretariat and the association
     *       keep the file (CASF L.121-9); the renewal chain is checked on metadata without personal data</td></tr>
     *   <tr><td>{@code removal.objective}, {@code administrative.closure}, {@code illegal.work.report},
     *       {@code closure.proposal}, {@code public.funding.alert}, {@code exploitation.report}</td>
     *       <td>90 days</td><td>365 days</td><td>Directive 2016/680, art. 4(1)(e) and 5; loi Informatique et
     *       libertés, title III: no longer than needed, the recipient keeps the procedure</td></tr>
     *   <tr><td>{@code difficulty.report}</td><td>365 days</td><td>730 days</td>
     *       <td>the monitoring centre's yearly review</td></tr>
     *   <tr><td>signed original</td><td colspan="2">90 days after submission</td><td>evidence of what the sender
     *       signed, for a dispute about the transmission; the audit log keeps its hash</td></tr>
     * </table>
     * {@code referral.receipt} and {@code consent.withdrawn} have no rule: they are not stored as referrals.
     */
    public static Retention standard() {
        return STANDARD;
    }

    /** The rule for {@code type}: its own, or the default. */
    public RetentionRule rule(ReferralType type) {
        return types.getOrDefault(type, defaults);
    }

    private static RetentionRule days(int afterEnd, int atMost) {
        return new RetentionRule(Duration.ofDays(afterEnd), Duration.ofDays(atMost));
    }
}
