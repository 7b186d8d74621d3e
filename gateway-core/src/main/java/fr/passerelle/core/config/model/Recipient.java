package fr.passerelle.core.config.model;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import java.util.Objects;
import java.util.Optional;

/** Who a route sends to: one named partner, or every partner of a kind in the referral's department. */
public sealed interface Recipient {

    /** The partner named {@code partner}, wherever the referral comes from. */
    record Named(PartnerId partner) implements Recipient {
        public Named {
            Objects.requireNonNull(partner, "partner");
        }

        @Override
        public String toString() {
            return "partner " + partner;
        }
    }

    /**
     * Every enabled partner of {@code kind} that serves the referral's department and, when {@code approval} is
     * set, holds that approval for the department on the day of the submission.
     */
    record ByKind(PartnerKind kind, Optional<String> approval) implements Recipient {
        public ByKind {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(approval, "approval");
        }

        @Override
        public String toString() {
            return "every " + kind.code()
                    + approval.map(a -> " approved for " + a).orElse("") + " of the referral's department";
        }
    }
}
