package fr.passerelle.tools.bench;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditEncoding;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.referral.ReferralId;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The database alone, without the gateway's code: the transaction of a submission written as plain JDBC — one
 * referral row, {@value #DELIVERIES} delivery rows and {@value #AUDIT_ROWS} audit rows, one commit — from
 * {@value #CLIENTS} clients on the gateway's own database. A physical reference for the ceiling measured through
 * the store: what the same rows cost when nothing but the driver stands between the clients and PostgreSQL.
 *
 * <p>All the SQL is in this class's constants. The audit rows are written as the store writes them: one insert
 * into the audit queue with their leaf hashes (no shared lock), which the running gateway's sequencer then numbers
 * into the log, so that it stays verifiable.
 */
final class PhysicalDatabaseCeiling {
    static final int CLIENTS = 16;
    static final int DELIVERIES = 2;
    static final int AUDIT_ROWS = 3;

    private static final String INSERT_REFERRAL = "INSERT INTO referral (id, type, sender, department, urgency,"
            + " status, request_digest, submitted_at, document, key_id, wrapped_key, document_media_type)"
            + " VALUES (?, 'victim.orientation', 'police-75-brp', '75', 'routine', 'routed', ?, now(), ?,"
            + " 'mk-20260101-000000', ?, 'application/json')";
    private static final String INSERT_DELIVERY = "INSERT INTO delivery (referral_id, recipient, route_ids, state,"
            + " media_type, payload, created_at, updated_at, key_id, wrapped_key, transport)"
            + " VALUES (?, ?, ARRAY['bench'], 'pending', 'application/pkcs7-mime', ?, now(), now(),"
            + " 'mk-20260101-000000', ?, 'inbox')";
    private static final String INSERT_AUDIT = "INSERT INTO audit_queue (at, max_merge_delay_ms, actor, action,"
            + " referral_id, detail, leaf_hash) VALUES"
            + " (?, ?, 'police-75-brp', ?, ?, ?::jsonb, ?)"
            + ", (?, ?, 'police-75-brp', ?, ?, ?::jsonb, ?)".repeat(AUDIT_ROWS - 1);

    /** {@value #DELIVERIES} of them. */
    private static final String[] RECIPIENTS = {"siao-75", "association-75-amarante"};
    /** {@value #AUDIT_ROWS} of them. */
    private static final String[] ACTIONS = {"referral.submitted", "referral.routed", "delivery.pulled"};

    private static final String DETAIL_JSON = "{\"type\": \"victim.orientation\", \"department\": \"75\"}";
    private static final Map<String, String> DETAIL = Map.of("type", "victim.orientation", "department", "75");

    private PhysicalDatabaseCeiling() {}

    /** Transactions per second from {@value #CLIENTS} clients for {@code seconds}. */
    static double measure(DataSource dataSource, double seconds) throws InterruptedException {
        byte[] document = random(1500);
        byte[] payload = random(3000);
        byte[] wrappedKey = random(60);
        AtomicLong done = new AtomicLong();
        AtomicReference<SQLException> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(
                    () -> {
                        try (Connection c = dataSource.getConnection()) {
                            c.setAutoCommit(false);
                            while (System.nanoTime() < end && failure.get() == null) {
                                submit(c, document, payload, wrappedKey);
                                c.commit();
                                done.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "bench-db-physical-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "the physical database ceiling failed: " + failure.get().getMessage()
                            + " (the bench writes the schema of this version: is the database migrated?)",
                    failure.get());
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void submit(Connection c, byte[] document, byte[] payload, byte[] wrappedKey) throws SQLException {
        ReferralId id = ReferralId.random();
        try (PreparedStatement insert = c.prepareStatement(INSERT_REFERRAL)) {
            insert.setObject(1, id.value());
            insert.setBytes(2, new byte[32]);
            insert.setBytes(3, document);
            insert.setBytes(4, wrappedKey);
            insert.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_DELIVERY)) {
            for (int i = 0; i < DELIVERIES; i++) {
                insert.setObject(1, id.value());
                insert.setString(2, RECIPIENTS[i]);
                insert.setBytes(3, payload);
                insert.setBytes(4, wrappedKey);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        appendAudit(c, id);
    }

    /** The audit rows, as the store appends them: one insert into the queue, no lock shared with other clients. */
    private static void appendAudit(Connection c, ReferralId id) throws SQLException {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration promise = AuditLog.maxMergeDelay();
        try (PreparedStatement insert = c.prepareStatement(INSERT_AUDIT)) {
            int p = 1;
            for (int i = 0; i < AUDIT_ROWS; i++) {
                byte[] leaf = AuditEncoding.leafHash(new AuditRecord(
                        0,
                        at,
                        "police-75-brp",
                        ACTIONS[i],
                        Optional.of(id),
                        DETAIL,
                        Optional.of(new AuditRecord.Queued(0, promise))));
                insert.setObject(p++, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                insert.setInt(p++, (int) promise.toMillis());
                insert.setString(p++, ACTIONS[i]);
                insert.setObject(p++, id.value());
                insert.setString(p++, DETAIL_JSON);
                insert.setBytes(p++, leaf);
            }
            insert.executeUpdate();
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
