package fr.passerelle.core.audit;

import fr.passerelle.core.referral.ReferralId;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One audit entry as read back from the log.
 *
 * @param seq        position in the log, strictly increasing in the order entries were written
 * @param at         when the database recorded it (the start of the writing transaction)
 * @param actor      who did it: a partner id, {@code gateway} or an administrator's id
 * @param action     what happened, a dotted code such as {@code referral.submitted}
 * @param referralId the referral concerned, if any
 * @param detail     identifiers and codes only, sorted by key, unmodifiable
 */
public record AuditRecord(
        long seq,
        Instant at,
        String actor,
        String action,
        Optional<ReferralId> referralId,
        Map<String, String> detail) {

    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(referralId, "referralId");
        detail = Collections.unmodifiableMap(new TreeMap<>(detail));
    }
}
