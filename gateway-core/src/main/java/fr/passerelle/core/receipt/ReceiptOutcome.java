package fr.passerelle.core.receipt;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReferralId;
import java.util.Objects;

/**
 * Where things stand after {@link Receipts#record}.
 *
 * @param state          the recipient's copy
 * @param referralStatus the referral's aggregate status over all its copies
 */
public record ReceiptOutcome(ReferralId id, PartnerId recipient, DeliveryState state, String referralStatus) {

    public ReceiptOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(referralStatus, "referralStatus");
    }
}
