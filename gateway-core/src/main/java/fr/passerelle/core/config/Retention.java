package fr.passerelle.core.config;

import fr.passerelle.core.referral.ReferralType;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The retention rules of gateway.yaml ({@code retention:}): a default, one rule per type where it differs, and how
 * long the sender's signed original of a CMS-signed submission is kept as evidence.
 */
public record Retention(RetentionRule defaults, Map<ReferralType, RetentionRule> types, Duration signedOriginal) {
    public Retention {
        Objects.requireNonNull(defaults, "defaults");
        types = Map.copyOf(types);
        Objects.requireNonNull(signedOriginal, "signedOriginal");
    }

    /** The rule for {@code type}: its own, or the default. */
    public RetentionRule rule(ReferralType type) {
        return types.getOrDefault(type, defaults);
    }
}
