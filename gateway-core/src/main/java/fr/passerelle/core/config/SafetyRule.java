package fr.passerelle.core.config;

import java.util.Locale;

/**
 * The safety rules that every configuration version passes before it becomes current: {@code config check},
 * start-up and every apply run them through {@link ConfigLoader}. Each problem a rule finds names the route, its
 * file and line, and ends with {@code (rule <code>)}, so that an administrator can look the rule up in
 * docs/ADMIN.md ("Safety checks"). The rules guard against sending a victim's data to the wrong place; a gap in
 * coverage (a sender whose referrals would reach nobody) fails closed with {@code route_not_found} and is therefore
 * a warning, not an error.
 */
public enum SafetyRule {
    /** A partner a route names is in the registry. */
    RECIPIENT_EXISTS,
    /** A partner a route names is enabled: a route must not count on a recipient that receives nothing. */
    RECIPIENT_ENABLED,
    /**
     * The instruction intends the recipient's kind to receive the route's type (the table of
     * {@link Competence}): for instance no {@code removal.objective} to an association.
     */
    RECIPIENT_INTENDED,
    /**
     * A recipient "by kind" reaches at least one enabled partner of that kind (holding the approval, when the
     * route asks one) in each department the route lists, or in at least one department when it lists none.
     */
    RECIPIENT_SERVED,
    /** A route's fields exist in its type's canonical schema. */
    FIELDS_IN_SCHEMA,
    /** No offence data and no procedure reference on a route that reaches a SIAO (CNIL: none in SI-SIAO). */
    NO_OFFENCE_DATA_TO_SIAO,
    /**
     * A route that reaches an adult-only service (a SIAO's adult emergency housing, an association: the exit
     * pathway, adult victim support) declares {@code subject: adult}, so that no referral about a minor takes it;
     * and no route for minors carries a type that concerns adults only (a residence permit, a reflection period,
     * a removal).
     */
    ADULTS_ONLY,
    /**
     * Every department where an enabled partner may send a type has a route that delivers it to somebody other
     * than the sender there (a warning: such a referral is refused with {@code route_not_found}).
     */
    DEPARTMENT_COVERED;

    /** {@code recipient-intended}: how messages and docs/ADMIN.md name the rule. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code (rule recipient-intended)}: the suffix of every message of this rule. */
    String tag() {
        return "(rule " + code() + ")";
    }
}
