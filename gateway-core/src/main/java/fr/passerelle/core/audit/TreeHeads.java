package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The signed tree heads of the audit log, in the append-only {@code audit_tree_head} table: one per size, each
 * signing (size, Merkle root over entries 1..size, time) with the gateway's signing key. The
 * {@link AuditSequencer} signs one over each batch it numbers; the table's primary key guarantees one head per size
 * whatever happens.
 *
 * <p>Each head names the certificate that signed it, kept with the heads ({@link SignerCertificates}); the first head
 * signed with another certificate than the latest head's covers an {@value SignerCertificates#CHANGED} entry that
 * names both.
 *
 * <p>Stateless and thread-safe.
 */
public final class TreeHeads {
    private TreeHeads() {}

    /** Stores {@code head} in the caller's transaction; false when a head of its size exists already. */
    static boolean insert(Connection c, SignedTreeHead head) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_tree_head (size, root, signed_at,"
                + " signature, signer_fingerprint) VALUES (?, ?, ?, ?, ?) ON CONFLICT (size) DO NOTHING")) {
            insert.setLong(1, head.head().size());
            insert.setBytes(2, head.head().rootHash());
            insert.setObject(3, OffsetDateTime.ofInstant(head.head().signedAt(), ZoneOffset.UTC));
            insert.setBytes(4, head.signature());
            insert.setString(5, head.signerFingerprint());
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * The signed head of the largest size, if any.
     *
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static Optional<SignedTreeHead> latest(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return latest(c);
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read the latest audit tree head (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    /**
     * Every signed head, by size.
     *
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static List<SignedTreeHead> all(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return all(c);
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot read the audit tree heads (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /**
     * The signed head of exactly {@code size} entries, if one was signed.
     *
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static Optional<SignedTreeHead> ofSize(DataSource ds, long size) {
        try (Connection c = ds.getConnection()) {
            List<SignedTreeHead> heads = select(c, " WHERE size = ?", size);
            return heads.stream().findFirst();
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read audit tree head " + size + " (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    static List<SignedTreeHead> all(Connection c) throws SQLException {
        return select(c, " ORDER BY size", null);
    }

    static Optional<SignedTreeHead> latest(Connection c) throws SQLException {
        return select(c, " ORDER BY size DESC LIMIT 1", null).stream().findFirst();
    }

    private static List<SignedTreeHead> select(Connection c, String where, Long size) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT size, root, signed_at, signature," + " signer_fingerprint FROM audit_tree_head" + where)) {
            if (size != null) {
                select.setLong(1, size);
            }
            List<SignedTreeHead> heads = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    heads.add(new SignedTreeHead(
                            new TreeHead(
                                    rs.getLong(1),
                                    rs.getBytes(2),
                                    rs.getObject(3, OffsetDateTime.class).toInstant()),
                            rs.getBytes(4),
                            rs.getString(5)));
                }
            }
            return List.copyOf(heads);
        }
    }
}
