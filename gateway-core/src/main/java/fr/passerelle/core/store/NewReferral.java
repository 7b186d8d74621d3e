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
 * @param document       the submission as the partner sent it when it is kept as evidence (a CMS SignedData: the
 *                       sender's signed original), or empty: nothing of the full submission is stored then, only
 *                       its digest; never printed by {@link #toString()}
 * @param documentMediaType its media type, such as {@code application/json} or {@code application/pkcs7-mime}
 * @param deliveries     one per recipient, at least one, no recipient twice
 * @param hold           when present, the copies are held, not delivered, until an administrator releases them
 * @param step           work that commits with the referral (the protection register's records)
 * @param source         for a referral the gateway raised from another (a child-protection alert), that other
 * @param raised         a referral the gateway raised from this one, stored in the same transaction or not at all
 * @param withheld       the recipients the routes would have reached but the gateway left out, as
 *                       {@code partner:reason} codes, for the audit entry
 * @param facets         what the statistics count it by: its commune's code and the person's minority
 */
public record NewReferral(
        ReferralId id,
        PartnerId sender,
        ReferralType type,
        Department department,
        Urgency urgency,
        Optional<String> idempotencyKey,
        byte[] requestDigest,
        byte[] document,
        String documentMediaType,
        List<NewDelivery> deliveries,
        Optional<Hold> hold,
        SubmissionStep step,
        Optional<ReferralId> source,
        Optional<NewReferral> raised,
        List<String> withheld,
        StatisticsFacets facets) {

    /** A referral sent by a partner, raising nothing and withholding nobody. */
    public NewReferral(
            ReferralId id,
            PartnerId sender,
            ReferralType type,
            Department department,
            Urgency urgency,
            Optional<String> idempotencyKey,
            byte[] requestDigest,
            byte[] document,
            String documentMediaType,
            List<NewDelivery> deliveries,
            Optional<Hold> hold,
            SubmissionStep step) {
        this(
                id,
                sender,
                type,
                department,
                urgency,
                idempotencyKey,
                requestDigest,
                document,
                documentMediaType,
                deliveries,
                hold,
                step,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                StatisticsFacets.NONE);
    }

    /** A referral delivered at once, with nothing else in its transaction. */
    public NewReferral(
            ReferralId id,
            PartnerId sender,
            ReferralType type,
            Department department,
            Urgency urgency,
            Optional<String> idempotencyKey,
            byte[] requestDigest,
            byte[] document,
            String documentMediaType,
            List<NewDelivery> deliveries) {
        this(
                id,
                sender,
                type,
                department,
                urgency,
                idempotencyKey,
                requestDigest,
                document,
                documentMediaType,
                deliveries,
                Optional.empty(),
                SubmissionStep.NONE);
    }

    public NewReferral {
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(raised, "raised");
        withheld = List.copyOf(withheld);
        Objects.requireNonNull(facets, "facets");
        if (raised.filter(r -> r.raised().isPresent() || r.idempotencyKey().isPresent())
                .isPresent()) {
            throw new IllegalArgumentException("a raised referral raises nothing and has no idempotency key");
        }
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
            throw new IllegalArgumentException(
                    "referral " + id + " has no delivery (expected: at least one" + " recipient, chosen by routing)");
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
                + hold.map(h -> ", held " + h.reason()).orElse("")
                + source.map(r -> ", raised from " + r).orElse("")
                + raised.map(r -> ", raising " + r.id()).orElse("") + "]";
    }
}
