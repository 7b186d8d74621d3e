package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The Merkle root of one database's audit log, kept up to date by reading only the entries appended since the
 * previous call. The log is append-only (the database refuses any change or removal), so an entry once read never
 * changes: signing a head costs the entries since the last one, not the whole log, and a gateway that signs every
 * few seconds does not reread a log that grows by the million. Holds one hash per level of the tree (at most 64).
 * One per database; thread-safe.
 */
public final class LogRoot {
    private MerkleTree.Builder tree = new MerkleTree.Builder();

    /**
     * The root over entries 1 to {@code size}, read in the caller's transaction.
     *
     * @throws GatewayException {@code store_failed} when the log lacks an entry up to {@code size}
     */
    /**
     * The root once {@code leaves}, the hashes of entries {@code from + 1} onwards, are added: without reading them
     * back when this root stands at {@code from} already (the sequencer's case), else as {@link #at}.
     */
    synchronized byte[] extended(Connection c, long from, List<byte[]> leaves) throws SQLException {
        if (tree.size() != from) {
            return at(c, from + leaves.size());
        }
        leaves.forEach(tree::add);
        return tree.root();
    }

    synchronized byte[] at(Connection c, long size) throws SQLException {
        if (size < tree.size()) {
            // Another database, or one restored from an older backup: start again from its first entry.
            tree = new MerkleTree.Builder();
        }
        long from = tree.size();
        AuditEntries.leafHashes(c, from, size).forEach(tree::add);
        if (tree.size() != size) {
            long read = tree.size();
            tree = new MerkleTree.Builder();
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "the audit log holds " + read + " entries up to seq " + size + " (expected: " + size
                            + "; run audit verify)");
        }
        return tree.root();
    }
}
