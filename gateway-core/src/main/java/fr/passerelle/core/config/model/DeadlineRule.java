package fr.passerelle.core.config.model;

import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What happens to a referral of {@code type} and one of {@code urgencies} that its recipients leave unanswered
 * ({@code deadlines:} in routes.yaml).
 *
 * @param type              the referral type it watches
 * @param urgencies         the urgencies it watches, at least one
 * @param acknowledgeWithin when no recipient has acknowledged it (a receipt: received, accepted, declined or
 *                          completed) this long after submission, it is escalated: the {@code escalateTo} partners
 *                          and the sender get an {@code escalated} notice, once; so is one that every recipient
 *                          declines for lack of places ({@code no-capacity}), at once
 * @param escalateTo        the duty partners told of an escalation, named or by kind in the referral's department;
 *                          empty only when there is no {@code acknowledgeWithin}
 * @param expireAfter       when no recipient has accepted it this long after submission, it ends as
 *                          {@code expired}: copies not yet answered stop, and the sender and the recipients that
 *                          hold a copy get an {@code expired} notice
 */
public record DeadlineRule(
        ReferralType type,
        Set<Urgency> urgencies,
        Optional<Duration> acknowledgeWithin,
        List<Recipient> escalateTo,
        Optional<Duration> expireAfter) {

    public DeadlineRule {
        Objects.requireNonNull(type, "type");
        urgencies = urgencies.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(urgencies));
        Objects.requireNonNull(acknowledgeWithin, "acknowledgeWithin");
        escalateTo = List.copyOf(escalateTo);
        Objects.requireNonNull(expireAfter, "expireAfter");
        if (urgencies.isEmpty()) {
            throw new IllegalArgumentException("deadline for " + type + " watches no urgency");
        }
        if (acknowledgeWithin.isEmpty() && expireAfter.isEmpty()) {
            throw new IllegalArgumentException(
                    "deadline for " + type + " sets neither acknowledge_within nor" + " expire_after");
        }
        if (acknowledgeWithin.isPresent() != !escalateTo.isEmpty()) {
            throw new IllegalArgumentException(
                    "deadline for " + type + ": acknowledge_within and escalate_to go" + " together");
        }
    }

    /** Whether this rule watches referrals of this type and urgency. */
    public boolean watches(ReferralType referralType, Urgency urgency) {
        return type == referralType && urgencies.contains(urgency);
    }

    /** A short name for logs and audit entries, such as {@code shelter.request/immediate,urgent}. */
    public String name() {
        return type.code() + "/"
                + urgencies.stream().sorted().map(Urgency::code).collect(Collectors.joining(","));
    }
}
