package fr.passerelle.core.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * One audit entry with the hashes stored beside it, as the database or an export holds them.
 *
 * @param queuedLeafHash in the database, for an entry that went through the queue: the leaf hash its queued row
 *                       holds (empty array when that row is missing); empty in an export and for older entries
 */
record StoredEntry(AuditRecord record, byte[] leafHash, byte[] chainHash, Optional<byte[]> queuedLeafHash) {
    StoredEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(chainHash, "chainHash");
        Objects.requireNonNull(queuedLeafHash, "queuedLeafHash");
    }

    StoredEntry(AuditRecord record, byte[] leafHash, byte[] chainHash) {
        this(record, leafHash, chainHash, Optional.empty());
    }
}
