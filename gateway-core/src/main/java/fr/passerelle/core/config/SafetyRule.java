package fr.passerelle.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
    /**
     * Nothing on a route that reaches a SIAO tells it of an offence or that the person is a victim (CNIL: no offence
     * data in SI-SIAO): no offence data or procedure reference, no field that only a victim's file holds (a hearing,
     * rights information, a reflection period), and none of the fields that name the referring unit or officer
     * ({@link #notForSiao}). Listing {@code referrer} or {@code consent} whole is allowed: the SIAO's
     * {@link fr.passerelle.core.routing.RecipientView} reduces the referrer to « Service prescripteur » and its phone
     * and drops who recorded the consent.
     */
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
    DEPARTMENT_COVERED,
    /**
     * A deadline of {@code shelter.request} escalates only to the State's housing service (kind {@code housing}:
     * DRIHL, DDETS, DEETS), the one authority over the 115 (CASF L.345-2); a warning for any other duty partner,
     * such as the prefecture's foreigners' department, which cannot find a place.
     */
    SHELTER_ESCALATION_AUTHORITY;

    /** Offence data and procedure references: the fields' first names. */
    private static final List<String> OFFENCE_DATA = List.of("offence", "offences", "complaint", "proceeding");
    /** What only a victim's file holds: the fields' first names. */
    private static final List<String> VICTIM_DATA =
            List.of("hearing", "basis", "rightsInformation", "choice", "reflectionPeriod");
    /** What names the referring unit or officer, or who recorded the consent: whole paths. */
    private static final List<String> REFERRER_IDENTITY = List.of(
            "referrer.unit", "referrer.officerRio", "referrer.staffReference", "referrer.email", "consent.recordedBy");

    /** Why a route may not list a field. */
    record Refusal(String message, String fix) {}

    /**
     * Rule {@link #NO_OFFENCE_DATA_TO_SIAO} for one field of {@code route}, a route that reaches a SIAO.
     *
     * @return why {@code field} (a dotted path) may not reach a SIAO, with the rule's tag and the fix; empty when
     *         it may
     */
    static Optional<Refusal> notForSiao(String route, String field) {
        String first = field.split("\\.", -1)[0];
        String listed = route + " lists field '" + field + "', ";
        String tag = " (CNIL: no offence data in SI-SIAO) " + NO_OFFENCE_DATA_TO_SIAO.tag();
        if (OFFENCE_DATA.contains(first)) {
            return Optional.of(new Refusal(
                    listed + "offence data or a procedure reference, which may never reach a" + " SIAO" + tag,
                    "remove it from this route"));
        }
        if (VICTIM_DATA.contains(first)) {
            return Optional.of(new Refusal(
                    listed + "which tells that the person is a victim (a complaint, a hearing,"
                            + " a reflection period or a victim's permit) and may never reach a SIAO" + tag,
                    "remove it from this route"));
        }
        if (REFERRER_IDENTITY.stream().anyMatch(path -> field.equals(path) || field.startsWith(path + "."))) {
            return Optional.of(new Refusal(
                    listed + "which names the referring unit or an officer (a unit's name, a"
                            + " RIO, a staff reference or an e-mail address tells the SIAO who refers, hence what the case"
                            + " is) and may never reach a SIAO" + tag,
                    first.equals("referrer")
                            ? "list referrer whole instead: a SIAO reads it as « Service prescripteur » with its phone only"
                            : "list consent whole instead: a SIAO reads it without recordedBy"));
        }
        return Optional.empty();
    }

    /** {@code recipient-intended}: how messages and docs/ADMIN.md name the rule. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code (rule recipient-intended)}: the suffix of every message of this rule. */
    String tag() {
        return "(rule " + code() + ")";
    }
}
