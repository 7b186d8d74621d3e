package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralId;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * RFC 9162 proofs computed from the stored audit log: that an entry is in the tree a signed head commits to
 * (inclusion), and that a later head extends an earlier one (consistency). A client checks them with
 * {@link MerkleTree#verifyInclusion} and {@link MerkleTree#verifyConsistency}, needing nothing but the heads.
 *
 * <p>Each call loads the stored leaf hashes up to the tree size, about 32 bytes per entry (some 60 MB of heap for
 * a million entries): acceptable for now; storing interior nodes would make proofs logarithmic. Stateless and
 * thread-safe.
 */
public final class AuditProofs {
    private AuditProofs() {}

    /**
     * The proof that entry {@code seq} is leaf {@code seq - 1} of the tree of size {@code treeSize}.
     *
     * @param leafHash the entry's leaf hash
     * @param path     the audit path, from the leaf's sibling up
     */
    public record InclusionProof(long seq, long treeSize, byte[] leafHash, List<byte[]> path) {
        public InclusionProof {
            if (seq < 1 || seq > treeSize) {
                throw new IllegalArgumentException("seq " + seq + " is out of range (expected: 1-" + treeSize + ")");
            }
            leafHash = Objects.requireNonNull(leafHash, "leafHash").clone();
            path = path.stream().map(byte[]::clone).toList();
        }

        @Override
        public byte[] leafHash() {
            return leafHash.clone();
        }

        /** Whether this proof leads from the leaf to the root of {@code head}, whose size it must have. */
        public boolean verifies(TreeHead head) {
            return head.size() == treeSize
                    && MerkleTree.verifyInclusion(leafHash, seq - 1, treeSize, path, head.rootHash());
        }

        @Override
        public String toString() {
            return "InclusionProof[seq=" + seq + ", treeSize=" + treeSize + ", leaf="
                    + HexFormat.of().formatHex(leafHash) + ", path=" + path.size() + " hashes]";
        }
    }

    /**
     * The inclusion proof of entry {@code seq} against {@code head}.
     *
     * @throws GatewayException {@code request_invalid} when {@code seq} is not within the head's size;
     *                          {@code store_failed} when the database fails, or when the stored entries no longer
     *                          give the head's root (the log was tampered with: run audit verify)
     */
    public static InclusionProof inclusion(DataSource ds, long seq, SignedTreeHead head) {
        return inclusions(ds, List.of(seq), head).get(0);
    }

    /**
     * The inclusion proofs of every entry about {@code referral} within {@code head}, in log order; empty when
     * the head covers none of them.
     *
     * @throws GatewayException as {@link #inclusion}
     */
    public static List<InclusionProof> forReferral(DataSource ds, ReferralId referral, SignedTreeHead head) {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT seq FROM audit_entry WHERE referral_id = ? AND seq <= ? ORDER BY seq")) {
            select.setObject(1, referral.value());
            select.setLong(2, head.head().size());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read the audit entries of referral " + referral + " (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
        return seqs.isEmpty() ? List.of() : inclusions(ds, seqs, head);
    }

    /**
     * The consistency proof from the tree of {@code oldSize} entries to the tree of {@code newSize} entries
     * (RFC 9162, section 2.1.4); empty when the sizes are equal.
     *
     * @throws GatewayException {@code request_invalid} unless 1 &lt;= oldSize &lt;= newSize &lt;= the log's size;
     *                          {@code store_failed} when the database fails
     */
    public static List<byte[]> consistency(DataSource ds, long oldSize, long newSize) {
        try (Connection c = ds.getConnection()) {
            long size = AuditEntries.size(c);
            if (oldSize < 1 || oldSize > newSize || newSize > size) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "tree sizes " + oldSize + " to " + newSize
                                + " are out of range (expected: 1 <= old size <= new size <= " + size + ")");
            }
            List<byte[]> leaves = leaves(c, newSize);
            return MerkleTree.consistencyProof(leaves, (int) oldSize);
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot prove audit tree " + oldSize + " consistent with tree " + newSize + " (SQLSTATE "
                            + e.getSQLState() + ")",
                    e);
        }
    }

    private static List<InclusionProof> inclusions(DataSource ds, List<Long> seqs, SignedTreeHead head) {
        long size = head.head().size();
        for (long seq : seqs) {
            if (seq < 1 || seq > size) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "seq " + seq + " is out of range (expected:" + " 1-" + size + ", the size of the tree head)");
            }
        }
        try (Connection c = ds.getConnection()) {
            List<byte[]> leaves = leaves(c, size);
            if (!MessageDigest.isEqual(MerkleTree.root(leaves), head.head().rootHash())) {
                throw new GatewayException(
                        ErrorCode.STORE_FAILED,
                        "the stored audit entries 1-" + size + " do not give the root of tree head " + size
                                + " (the log was changed: run audit verify)");
            }
            return seqs.stream()
                    .map(seq -> new InclusionProof(
                            seq, size, leaves.get((int) (seq - 1)), MerkleTree.inclusionProof(leaves, (int) (seq - 1))))
                    .toList();
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot prove the inclusion of audit entries in tree " + size + " (SQLSTATE " + e.getSQLState()
                            + ")",
                    e);
        }
    }

    private static List<byte[]> leaves(Connection c, long size) throws SQLException {
        if (size > Integer.MAX_VALUE) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "tree size " + size + " is too large to prove in" + " memory (expected: at most "
                            + Integer.MAX_VALUE + ")");
        }
        List<byte[]> leaves = AuditEntries.leafHashes(c, size);
        if (leaves.size() != size) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "the audit log holds " + leaves.size() + " entries up to seq " + size + " (expected: " + size
                            + "; run audit verify)");
        }
        return leaves;
    }
}
