package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.Fingerprints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The signed tree heads of the audit log, in the append-only {@code audit_tree_head} table: one per size, each
 * signing (size, Merkle root over entries 1..size, time) with the gateway's signing key.
 *
 * <p>{@link #signIfDue} is meant to run on a timer in every gateway instance. Instances sharing a database take
 * turns through a PostgreSQL advisory lock held for the signing transaction, and the table's primary key with
 * {@code ON CONFLICT DO NOTHING} guarantees one head per size whatever happens. A {@link LogRoot} kept by the
 * caller reads only the leaf hashes appended since its previous head; without one, every leaf up to the size
 * (32 bytes each, streamed).
 *
 * <p>Each head names the certificate that signed it, kept with the heads ({@link SignerCertificates}); the first head
 * signed with another certificate than the latest head's covers an {@value SignerCertificates#CHANGED} entry that
 * names both.
 *
 * <p>Stateless and thread-safe.
 */
public final class TreeHeads {
    /** The advisory lock that signers take turns on: "PASSERELLE-AUDIT-HEAD" folded into a long. */
    private static final long SIGNING_LOCK = 0x5041_5353_4155_4448L;

    private TreeHeads() {}

    /**
     * Signs and stores a new tree head over all committed entries when one is due: when at least
     * {@code everyEntries} entries were appended since the latest head, or when the oldest entry not yet covered
     * by a head is at least {@code everyPeriod} old (so no entry waits longer than that). Nothing is due while the
     * log has not grown since the latest head.
     *
     * @param everyEntries 1 or more
     * @param everyPeriod  positive
     * @param clock        the head's time, kept to the microsecond
     * @return the new head, or empty when none was due or another instance signed this size first
     * @throws GatewayException {@code request_invalid} when a threshold is out of range; {@code store_failed} when
     *                          the database fails; {@code pki_failed} when the key cannot sign
     */
    public static Optional<SignedTreeHead> signIfDue(
            DataSource ds, CertifiedKey signer, int everyEntries, Duration everyPeriod, Clock clock) {
        return signIfDue(ds, signer, everyEntries, everyPeriod, clock, new LogRoot());
    }

    /**
     * As {@link #signIfDue(DataSource, CertifiedKey, int, Duration, Clock)}, computing the root with {@code root},
     * which a gateway keeps for its database so that each head reads only the entries appended since the last.
     */
    public static Optional<SignedTreeHead> signIfDue(
            DataSource ds, CertifiedKey signer, int everyEntries, Duration everyPeriod, Clock clock, LogRoot root) {
        Objects.requireNonNull(ds, "ds");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(clock, "clock");
        if (everyEntries < 1) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "everyEntries " + everyEntries + " is out of range (expected: 1 or more)");
        }
        if (everyPeriod.isNegative() || everyPeriod.isZero()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "everyPeriod " + everyPeriod + " is out of range (expected: a positive duration)");
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<SignedTreeHead> signed = signIfDue(c, signer, everyEntries, everyPeriod, clock, root);
                c.commit();
                return signed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot sign an audit tree head (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static Optional<SignedTreeHead> signIfDue(
            Connection c, CertifiedKey signer, int everyEntries, Duration everyPeriod, Clock clock, LogRoot root)
            throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, SIGNING_LOCK);
            lock.executeQuery().close();
        }
        long size = AuditEntries.size(c);
        Optional<SignedTreeHead> latest = latest(c);
        long signedSize = latest.map(h -> h.head().size()).orElse(0L);
        if (size <= signedSize) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        boolean due = size - signedSize >= everyEntries
                || !oldestUncovered(c, signedSize + 1).plus(everyPeriod).isAfter(now);
        if (!due) {
            return Optional.empty();
        }
        SignerCertificates.keep(c, signer.certificate());
        String fingerprint = Fingerprints.sha256(signer.certificate());
        LogRoot rootOfThisHead = root;
        if (latest.isPresent() && !latest.get().signerFingerprint().equalsIgnoreCase(fingerprint)) {
            // The first head of a new signer covers the entry that says so. That entry is not committed yet: a
            // root of its own, so that a rollback leaves nothing of it in the caller's root (once per change).
            AuditLog.append(
                    c,
                    "gateway",
                    SignerCertificates.CHANGED,
                    Optional.empty(),
                    SignerCertificates.change(latest.get().signerFingerprint(), fingerprint));
            size = AuditEntries.size(c);
            rootOfThisHead = new LogRoot();
        }
        SignedTreeHead head = TreeHeadSigner.sign(new TreeHead(size, rootOfThisHead.at(c, size), now), signer);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_tree_head (size, root, signed_at,"
                + " signature, signer_fingerprint) VALUES (?, ?, ?, ?, ?) ON CONFLICT (size) DO NOTHING")) {
            insert.setLong(1, size);
            insert.setBytes(2, head.head().rootHash());
            insert.setObject(3, OffsetDateTime.ofInstant(head.head().signedAt(), ZoneOffset.UTC));
            insert.setBytes(4, head.signature());
            insert.setString(5, head.signerFingerprint());
            return insert.executeUpdate() == 1 ? Optional.of(head) : Optional.empty();
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

    private static Optional<SignedTreeHead> latest(Connection c) throws SQLException {
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

    private static Instant oldestUncovered(Connection c, long seq) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT at FROM audit_entry WHERE seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new GatewayException(
                            ErrorCode.STORE_FAILED,
                            "audit entry " + seq + " is missing though the counter passed it (run audit verify)");
                }
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }
}
