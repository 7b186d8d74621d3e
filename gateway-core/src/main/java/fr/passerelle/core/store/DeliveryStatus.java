package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recipient's copy of a referral, as its status shows it.
 *
 * @param reason why the recipient declined, present only when {@code state} is {@code declined}
 */
public record DeliveryStatus(PartnerId recipient, DeliveryState state, Instant updatedAt,
                             Optional<DeclineReason> reason) {

    public DeliveryStatus {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(reason, "reason");
    }
}
