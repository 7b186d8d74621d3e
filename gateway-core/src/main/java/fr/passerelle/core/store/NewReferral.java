package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated, routed and sealed referral, ready for {@link JdbcReferralStore#submit}. The byte arrays are not
 * copied: callers must not change them after handing them over.
 *
 * @param id             chosen by the gateway; ignored in favour of the stored one when the submission is a replay
 * @param sender         the authenticated partner that submitted it
 * @param idempotencyKey the sender's {@code Idempotency-Key}, if it sent one
 * @param requestDigest  digest of the request as received, to tell a replay from a reused key; not empty
 * @param document       the submission as the partner sent it (JSON, or CMS SignedData), kept as evidence;
 *                       never printed by {@link #toString()}
 * @param documentMediaType its media type, such as {@code application/json} or {@code application/pkcs7-mime}
 * @param deliveries     one per recipient, at least one, no recipient twice
 * @param hold           when present, the copies are held, not delivered, until an administrator releases them
 * @param step           work that commits with the referral (the protection register's records)
 */
public record NewReferral(ReferralId id, PartnerId sender, ReferralType type, Department department,
                          Urgency urgency, Optional<String> idempotencyKey, byte[] requestDigest, byte[] document,
                          String documentMediaType, List<NewDelivery> deliveries, Optional<Hold> hold,
                          SubmissionStep step) {

    /** A referral delivered at once, with nothing else in its transaction. */
    public NewReferral(ReferralId id, PartnerId sender, ReferralType type, Department department, Urgency urgency,
                       Optional<String> idempotencyKey, byte[] requestDigest, byte[] document,
                       String documentMediaType, List<NewDelivery> deliveries) {
        this(id, sender, type, department, urgency, idempotencyKey, requestDigest, document, documentMediaType,
                deliveries, Optional.empty(), SubmissionStep.NONE);
    }

    public NewReferral {
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(requestDigest, "requestDigest");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(documentMediaType, "documentMediaType");
        deliveries = List.copyOf(deliveries);
        if (requestDigest.length == 0) {
            throw new IllegalArgumentException("referral " + id + " has an empty request digest");
        }
        if (deliveries.isEmpty()) {
            throw new IllegalArgumentException("referral " + id + " has no delivery (expected: at least one"
                    + " recipient, chosen by routing)");
        }
        Set<PartnerId> seen = new HashSet<>();
        for (NewDelivery delivery : deliveries) {
            if (!seen.add(delivery.recipient())) {
                throw new IllegalArgumentException("referral " + id + " names recipient " + delivery.recipient()
                        + " twice (expected: one delivery per recipient, with all its route ids)");
            }
        }
    }

    /** The recipients, in the order of {@link #deliveries()}. */
    public List<PartnerId> recipients() {
        return deliveries.stream().map(NewDelivery::recipient).toList();
    }

    @Override
    public String toString() {
        return "NewReferral[id=" + id + ", sender=" + sender + ", type=" + type + ", department=" + department
                + ", urgency=" + urgency + ", idempotencyKey=" + (idempotencyKey.isPresent() ? "<present>" : "")
                + ", document=<" + document.length + " bytes>, deliveries=" + deliveries
                + hold.map(h -> ", held " + h.reason()).orElse("") + "]";
    }
}
