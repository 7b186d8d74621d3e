package fr.passerelle.core.store;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.referral.ReferralId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Work that commits with a new referral, or not at all: the protection register records what the referral showed
 * in the same transaction that stores it. Runs after the referral's row is written, never for a replay.
 */
@FunctionalInterface
public interface SubmissionStep {
    /** Does nothing. */
    SubmissionStep NONE = (c, id, now) -> List.of();

    /**
     * @param c   the submission's connection, inside its transaction
     * @param id  the new referral
     * @param now the submission time
     * @return audit entries to append with the submission's own, by the gateway; identifiers and codes only
     */
    List<AuditLog.Entry> run(Connection c, ReferralId id, Instant now) throws SQLException;

    /** This work, then {@code next}, in the same transaction; their audit entries in that order. */
    default SubmissionStep andThen(SubmissionStep next) {
        if (next == NONE) {
            return this;
        }
        return (c, id, now) -> {
            List<AuditLog.Entry> entries = new java.util.ArrayList<>(run(c, id, now));
            entries.addAll(next.run(c, id, now));
            return List.copyOf(entries);
        };
    }
}
