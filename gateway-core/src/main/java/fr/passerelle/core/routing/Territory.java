package fr.passerelle.core.routing;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The safety rule {@value #RULE}: a removal objective, an administrative closure and an alert to public funders
 * (Labour Code L.8272-1) are acts of the prefect of the department they concern, so only a sender whose registry
 * entry lists that department ({@code departments:}) may send one, whichever of the prefect's services sends it:
 * the foreigners' department ({@code prefecture}) or the cabinet ({@code security}). Routing follows the department
 * the sender names; without this rule, any prefect could have the police or the funders of another department act
 * on its word. A sender that lists no department is refused too: no prefect serves every department. Every
 * submission passes it ({@code Exchange}), whatever its format, and the {@link DryRun} shows its refusal.
 */
public final class Territory {
    /** How the refusal's message and docs/CANONICAL.md name the rule. */
    public static final String RULE = "prefecture-serves-department";
    /** The types that only a sender serving their department may send. */
    static final Set<ReferralType> BOUND = EnumSet.of(
            ReferralType.REMOVAL_OBJECTIVE, ReferralType.ADMINISTRATIVE_CLOSURE, ReferralType.PUBLIC_FUNDING_ALERT);

    private Territory() {}

    /**
     * Why {@code sender} may not send a referral of {@code type} for {@code department}: ids, codes and the fix,
     * nothing of the referral's content; empty when it may.
     */
    public static Optional<String> refusal(Partner sender, ReferralType type, Department department) {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(department, "department");
        if (!BOUND.contains(type) || sender.departments().contains(department)) {
            return Optional.empty();
        }
        String serves = sender.departments().isEmpty()
                ? sender.id() + " serves no department (its registry entry lists none)"
                : sender.id() + " serves " + codes(sender) + " only";
        String article = type.code().startsWith("a") ? ": an " : ": a ";
        // The closure chain is the cabinet's as much as the foreigners' department's: name both.
        boolean removal = type == ReferralType.REMOVAL_OBJECTIVE;
        String whom = removal ? "a prefecture" : "a prefect's service (security or prefecture)";
        return Optional.of(serves + article + type + " for " + department + " must come from " + whom + " serving "
                + department + " (rule " + RULE + "); send it through that " + (removal ? "prefecture" : "service")
                + ", or, if " + sender.id()
                + " does serve " + department + ", ask the gateway's administrator to add \"" + department
                + "\" to departments: in its registry entry (partners/" + sender.id() + ".yaml)");
    }

    /**
     * Refuses what {@link #refusal} refuses.
     *
     * @throws GatewayException {@code department_not_served}
     */
    public static void check(Partner sender, ReferralType type, Department department) {
        refusal(sender, type, department).ifPresent(message -> {
            throw new GatewayException(ErrorCode.DEPARTMENT_NOT_SERVED, message);
        });
    }

    private static String codes(Partner sender) {
        return sender.departments().stream().sorted().map(Department::code).collect(Collectors.joining(", "));
    }
}
