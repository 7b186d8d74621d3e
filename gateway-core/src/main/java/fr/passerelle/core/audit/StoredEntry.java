package fr.passerelle.core.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * One audit entry with the hashes stored beside it, as the database or an export holds them.
 *
 * @param queueProblem in the database, for an entry that went through the queue: what does not match between it
 *                     and its queued row (missing, another leaf hash, other fields), if anything; empty in an export
 */
record StoredEntry(AuditRecord record, byte[] leafHash, byte[] chainHash, Optional<String> queueProblem) {
    StoredEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(chainHash, "chainHash");
        Objects.requireNonNull(queueProblem, "queueProblem");
    }

    StoredEntry(AuditRecord record, byte[] leafHash, byte[] chainHash) {
        this(record, leafHash, chainHash, Optional.empty());
    }
}
