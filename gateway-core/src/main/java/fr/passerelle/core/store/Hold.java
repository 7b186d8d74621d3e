package fr.passerelle.core.store;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Why a new referral's copies are held instead of entering the outbox: a removal objective about a person whom the
 * protection register protects. The copies wait in the store until an administrator releases or cancels the
 * referral.
 *
 * @param reason      the reason code, such as {@code protected:reflection-period}
 * @param protections the ids of the protections it matched, at least one
 * @param notices     told at once: the sending prefecture, the referents, the partners that carried the protection
 */
public record Hold(String reason, List<Long> protections, List<NewNotice> notices) {
    private static final Pattern REASON = Pattern.compile("protected:(reflection-period|permit|exit-pathway|minor)");

    public Hold {
        Objects.requireNonNull(reason, "reason");
        if (!REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("hold reason " + reason + " is unknown (expected: " + REASON + ")");
        }
        protections = List.copyOf(protections);
        notices = List.copyOf(notices);
        if (protections.isEmpty()) {
            throw new IllegalArgumentException("a hold names at least one protection");
        }
    }
}
