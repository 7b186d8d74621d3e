package fr.passerelle.core.audit;

import fr.passerelle.core.referral.ReferralId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One audit entry as read back from the log or its queue.
 *
 * @param seq        its number in the log, 1..n in the order the sequencer took entries; 0 while it waits in the
 *                   queue (for at most its promise)
 * @param at         when it was appended
 * @param actor      who did it: a partner id, {@code gateway} or an administrator's id
 * @param action     what happened, a dotted code such as {@code referral.submitted}
 * @param referralId the referral concerned, if any
 * @param detail     identifiers and codes only, sorted by key, unmodifiable
 * @param queued     its place in the queue and its promise; empty for an entry written before the queue existed
 *                   (schema version 17), which the log numbered when it was appended
 */
public record AuditRecord(
        long seq,
        Instant at,
        String actor,
        String action,
        Optional<ReferralId> referralId,
        Map<String, String> detail,
        Optional<Queued> queued) {

    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(queued, "queued");
        detail = Collections.unmodifiableMap(new TreeMap<>(detail));
    }

    /** An entry written before the queue existed, numbered when it was appended (encoding version 1). */
    public AuditRecord(
            long seq,
            Instant at,
            String actor,
            String action,
            Optional<ReferralId> referralId,
            Map<String, String> detail) {
        this(seq, at, actor, action, referralId, detail, Optional.empty());
    }

    /** Whether the sequencer has numbered it yet. */
    public boolean sequenced() {
        return seq > 0;
    }

    /**
     * Where a queued entry stands and what was promised for it.
     *
     * @param position      its place in {@code audit_queue}, in arrival order (not a number of the log: positions
     *                      of rolled-back transactions are skipped, and the log numbers entries as they commit)
     * @param maxMergeDelay the promise: a signed tree head covers it within this delay of {@code at}
     */
    public record Queued(long position, Duration maxMergeDelay) {
        public Queued {
            Objects.requireNonNull(maxMergeDelay, "maxMergeDelay");
        }
    }
}
