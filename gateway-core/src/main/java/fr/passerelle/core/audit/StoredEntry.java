package fr.passerelle.core.audit;

import java.util.Objects;

/** One audit entry with the hashes stored beside it, as the database or an export holds them. */
record StoredEntry(AuditRecord record, byte[] leafHash, byte[] chainHash) {
    StoredEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(chainHash, "chainHash");
    }
}
