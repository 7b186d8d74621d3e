package fr.passerelle.core.config.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the content of a referral of some type is kept.
 *
 * @param afterEnd how long after the referral reached its end (completed, declined, expired, cancelled), counted from
 *                 the last change of any of its copies
 * @param atMost   how long after its submission at most, whatever its state
 */
public record RetentionRule(Duration afterEnd, Duration atMost) {
    public RetentionRule {
        Objects.requireNonNull(afterEnd, "afterEnd");
        Objects.requireNonNull(atMost, "atMost");
        if (afterEnd.isNegative() || afterEnd.isZero() || atMost.isNegative() || atMost.isZero()) {
            throw new IllegalArgumentException("retention durations are positive");
        }
    }
}
