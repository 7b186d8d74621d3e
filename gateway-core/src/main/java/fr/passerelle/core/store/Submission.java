package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link JdbcReferralStore#submit} did.
 *
 * @param id          the stored referral: the new one, or on a replay the one first stored under the same key
 * @param replayed    true when the same sender already submitted the same request under the same key, and
 *                    nothing was written this time
 * @param submittedAt when the referral was first stored
 * @param status      the referral's aggregate status, {@code routed} for a new one
 * @param recipients  in delivery order
 * @param routeIds    for each recipient, the routes that chose it
 * @param auditPosition the queue position of its {@code referral.submitted} audit entry (0 for an entry written
 *                    before the queue existed): the sequencer numbers it and a signed tree head covers it within the
 *                    promise
 * @param holdReason  for a held referral ({@code status} held, or released later), why it was held, such as
 *                    {@code protected:reflection-period}
 * @param raised      the referral the gateway raised from this one in the same transaction (a child-protection
 *                    alert), if any
 */
public record Submission(
        ReferralId id,
        ReferralType type,
        boolean replayed,
        Instant submittedAt,
        String status,
        List<PartnerId> recipients,
        Map<PartnerId, List<String>> routeIds,
        long auditPosition,
        Optional<String> holdReason,
        Optional<Submission> raised) {

    public Submission(
            ReferralId id,
            ReferralType type,
            boolean replayed,
            Instant submittedAt,
            String status,
            List<PartnerId> recipients,
            Map<PartnerId, List<String>> routeIds,
            long auditPosition,
            Optional<String> holdReason) {
        this(
                id,
                type,
                replayed,
                submittedAt,
                status,
                recipients,
                routeIds,
                auditPosition,
                holdReason,
                Optional.empty());
    }

    public Submission(
            ReferralId id,
            ReferralType type,
            boolean replayed,
            Instant submittedAt,
            String status,
            List<PartnerId> recipients,
            Map<PartnerId, List<String>> routeIds,
            long auditPosition) {
        this(id, type, replayed, submittedAt, status, recipients, routeIds, auditPosition, Optional.empty());
    }

    public Submission {
        Objects.requireNonNull(holdReason, "holdReason");
        Objects.requireNonNull(raised, "raised");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        routeIds = Map.copyOf(routeIds);
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(status, "status");
        recipients = List.copyOf(recipients);
    }
}
