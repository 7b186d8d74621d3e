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
 * @param reason      why the recipient declined, present only when {@code state} is {@code declined}
 * @param transport   how the copy travels: {@code inbox} (the recipient pulls), {@code https}, {@code mail}
 * @param createdAt   when it was sealed for the recipient
 * @param deliveredAt when the recipient first got it (pulled it, or its endpoint or relay took it)
 * @param attempts    how many times the gateway tried to push it (0 for a pulled copy)
 * @param nextAttempt when the gateway tries again, while a pushed copy waits after a failure
 */
public record DeliveryStatus(
        PartnerId recipient,
        DeliveryState state,
        Instant updatedAt,
        Optional<DeclineReason> reason,
        String transport,
        Instant createdAt,
        Optional<Instant> deliveredAt,
        int attempts,
        Optional<Instant> nextAttempt) {

    public DeliveryStatus {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
    }
}
