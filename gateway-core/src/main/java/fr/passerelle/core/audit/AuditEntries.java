package fr.passerelle.core.audit;

import fr.passerelle.core.referral.ReferralId;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Streams the stored audit entries in sequence order, a page of rows at a time, never the whole log in memory. */
final class AuditEntries {
    static final int FETCH_SIZE = 5_000;

    /** Receives entries one by one; returns false to stop the stream. */
    interface Sink {
        boolean accept(StoredEntry entry) throws SQLException;
    }

    private AuditEntries() {}

    /**
     * Streams every entry in seq order. Uses a cursor: on a connection in auto-commit mode, it reads in a transaction
     * of its own; otherwise within the caller's.
     */
    static void forEach(Connection c, Sink sink) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement select = c.prepareStatement("SELECT e.seq, e.at, e.actor, e.action, e.referral_id,"
                + " e.detail::text, e.leaf_hash, e.chain_hash, e.queue_id, q.max_merge_delay_ms, q.leaf_hash, q.id IS NULL,"
                + " (q.at, q.actor, q.action, q.referral_id, q.detail) IS DISTINCT FROM (e.at, e.actor, e.action,"
                + " e.referral_id, e.detail) FROM audit_entry e LEFT JOIN audit_queue q ON q.id = e.queue_id"
                + " ORDER BY e.seq")) {
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID referral = rs.getObject(5, UUID.class);
                    long position = rs.getLong(9);
                    boolean queued = !rs.wasNull();
                    byte[] queuedLeaf = rs.getBytes(11);
                    AuditRecord record = new AuditRecord(
                            rs.getLong(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getString(3),
                            rs.getString(4),
                            Optional.ofNullable(referral).map(ReferralId::new),
                            AuditLog.fromJson(rs.getString(6)),
                            queued
                                    ? Optional.of(new AuditRecord.Queued(position, Duration.ofMillis(rs.getLong(10))))
                                    : Optional.empty());
                    byte[] leaf = rs.getBytes(7);
                    Optional<String> problem = Optional.empty();
                    if (queued && rs.getBoolean(12)) {
                        problem = Optional.of("its queued row " + position + " is missing from audit_queue");
                    } else if (queued && !MessageDigest.isEqual(queuedLeaf, leaf)) {
                        problem = Optional.of("its leaf hash is not the one queued (changed after it was queued)");
                    } else if (queued && rs.getBoolean(13)) {
                        problem = Optional.of("its queued row " + position + " holds other fields (the queue was"
                                + " changed after the entry was numbered)");
                    }
                    StoredEntry entry = new StoredEntry(record, leaf, rs.getBytes(8), problem);
                    if (!sink.accept(entry)) {
                        break;
                    }
                }
            }
        } finally {
            if (autoCommit) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    /** The stored leaf hashes of entries 1 to {@code size}, in order. Holds them all: 32 bytes (plus) per entry. */
    static List<byte[]> leafHashes(Connection c, long size) throws SQLException {
        return leafHashes(c, 0, size);
    }

    /** The stored leaf hashes of entries {@code after + 1} to {@code size}, in order. */
    static List<byte[]> leafHashes(Connection c, long after, long size) throws SQLException {
        List<byte[]> leaves = new ArrayList<>((int) Math.min(Math.max(size - after, 0), 1 << 20));
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement select =
                c.prepareStatement("SELECT leaf_hash FROM audit_entry WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            select.setFetchSize(FETCH_SIZE);
            select.setLong(1, after);
            select.setLong(2, size);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    leaves.add(rs.getBytes(1));
                }
            }
        } finally {
            if (autoCommit) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        return leaves;
    }

    /** How many entries the log numbered: its last number, the sequencer gives them 1..n. */
    static long size(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_entry");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
