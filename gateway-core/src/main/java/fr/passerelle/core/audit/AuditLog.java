package fr.passerelle.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Writes and reads the append-only {@code audit_entry} table.
 *
 * <p>An entry is appended with {@link #append} on the connection of the transaction whose change it records, so
 * that the change and its entry commit or roll back together. The database refuses any UPDATE, DELETE or
 * TRUNCATE of the table; nothing here offers one.
 *
 * <p><b>No personal data.</b> An entry's actor, action and detail are identifiers and codes only: partner ids,
 * referral ids, route ids, type, department, urgency and status codes, digests, fingerprints. Never a name, a
 * date of birth, a phone number, an address or free text. To keep free text out, {@link #append} refuses detail
 * keys and values outside a narrow alphabet (letters, digits and {@code . _ : / , @ + = -}, no spaces).
 *
 * <p>All methods are thread-safe; they hold no state.
 */
public final class AuditLog {
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z-]*(\\.[a-z][a-z-]*)+");
    private static final Pattern KEY = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:/,@+=-]{0,2048}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> DETAIL = new TypeReference<>() {};

    private AuditLog() {}

    /**
     * Appends one entry inside the caller's transaction, with the next sequence number, its leaf hash and its chain
     * hash. The entry's time is the database's {@code now()}, the start of that transaction.
     *
     * <p>The number comes from the one-row {@code audit_counter}, advanced with {@code UPDATE ... RETURNING}: the
     * row stays locked until the caller's transaction ends, so appenders (from every gateway sharing the database)
     * take turns and numbers stay 1..n without gaps; a rollback gives the number back. Append last in a
     * transaction, after its other locks, and commit soon: every other appender waits until then. On a connection
     * in auto-commit mode, the append is a transaction of its own.
     *
     * @param c          the connection of the transaction whose change this entry records
     * @param actor      a partner id, {@code gateway} or an administrator's id
     * @param action     a dotted lowercase code, such as {@code referral.submitted}
     * @param referralId the referral concerned, if any
     * @param detail     identifiers and codes only (see the class comment)
     * @return the entry's sequence number
     * @throws GatewayException {@code internal} when the actor, action or detail is not of the expected shape;
     *                          the message never repeats the offending value. {@code store_failed} when the
     *                          previous entry is missing, so that the new one cannot be chained to it
     * @throws SQLException     when the insert fails; the caller's transaction should then roll back
     */
    public static long append(
            Connection c, String actor, String action, Optional<ReferralId> referralId, Map<String, String> detail)
            throws SQLException {
        return appendAll(c, List.of(new Entry(actor, action, referralId, detail)));
    }

    /**
     * Appends several entries, in the order given, inside the caller's transaction, as that many {@link #append}
     * calls would (consecutive numbers, each chained to the one before, the same time), in three round trips to
     * the database instead of three per entry: the counter advanced by one per entry in one request, one read of
     * the previous chain hash, one batch of inserts. The counter's row is locked for a shorter time.
     *
     * @param entries at least one
     * @return the sequence number of the first entry; the others follow it
     * @throws GatewayException as {@link #append}; nothing is appended when any entry is refused
     * @throws SQLException     as {@link #append}
     */
    public static long appendAll(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            throw new GatewayException(ErrorCode.INTERNAL, "no audit entry to append (expected: at least one)");
        }
        entries.forEach(e -> check(e.actor(), e.action(), e.detail()));
        if (!c.getAutoCommit()) {
            return appendInTransaction(c, entries);
        }
        c.setAutoCommit(false);
        try {
            long seq = appendInTransaction(c, entries);
            c.commit();
            return seq;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * An entry to append.
     *
     * @param actor      a partner id, {@code gateway} or an administrator's id
     * @param action     a dotted lowercase code, such as {@code delivery.pulled}
     * @param referralId the referral concerned, if any
     * @param detail     identifiers and codes only (see the class comment)
     */
    public record Entry(String actor, String action, Optional<ReferralId> referralId, Map<String, String> detail) {
        public Entry {
            Objects.requireNonNull(referralId, "referralId");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private static long appendInTransaction(Connection c, List<Entry> entries) throws SQLException {
        long last;
        OffsetDateTime at;
        // The database's trigger lets the counter move by one per UPDATE: one UPDATE per entry, sent together.
        try (PreparedStatement next = c.prepareStatement(counterUpdates(entries.size()))) {
            boolean results = next.execute();
            while (!results && next.getUpdateCount() != -1) {
                results = next.getMoreResults();
            }
            try (ResultSet rs = next.getResultSet()) {
                if (rs == null || !rs.next()) {
                    throw new GatewayException(
                            ErrorCode.STORE_FAILED,
                            "audit_counter has no row (expected: the one" + " row that schema version 4 created)");
                }
                last = rs.getLong(1);
                at = rs.getObject(2, OffsetDateTime.class);
            }
        }
        long first = last - entries.size() + 1;
        byte[] previous = first == 1 ? AuditEncoding.chainStart() : chainHash(c, first - 1);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_entry (seq, at, actor, action,"
                + " referral_id, detail, leaf_hash, chain_hash) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            long seq = first;
            for (Entry entry : entries) {
                AuditRecord record = new AuditRecord(
                        seq, at.toInstant(), entry.actor(), entry.action(), entry.referralId(), entry.detail());
                byte[] leaf = AuditEncoding.leafHash(record);
                byte[] chain = AuditEncoding.chainHash(previous, leaf);
                insert.setLong(1, seq);
                insert.setObject(2, at);
                insert.setString(3, entry.actor());
                insert.setString(4, entry.action());
                insert.setObject(5, entry.referralId().map(ReferralId::value).orElse(null));
                insert.setString(6, toJson(entry.detail()));
                insert.setBytes(7, leaf);
                insert.setBytes(8, chain);
                if (entries.size() == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
                previous = chain;
                seq++;
            }
            if (entries.size() > 1) {
                insert.executeBatch();
            }
        }
        return first;
    }

    /** {@code n} statements in one request: the last one returns the new count and the transaction's time. */
    private static String counterUpdates(int n) {
        return "UPDATE audit_counter SET last_seq = last_seq + 1;".repeat(n - 1)
                + "UPDATE audit_counter SET last_seq = last_seq + 1 RETURNING last_seq, now()";
    }

    private static byte[] chainHash(Connection c, long seq) throws SQLException {
        // A new statement sees the entry that the previous holder of the counter's lock committed.
        try (PreparedStatement select = c.prepareStatement("SELECT chain_hash FROM audit_entry WHERE seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new GatewayException(
                            ErrorCode.STORE_FAILED,
                            "audit entry " + seq + " is missing: entry " + (seq + 1)
                                    + " cannot be chained to it (run audit verify)");
                }
                return rs.getBytes(1);
            }
        }
    }

    /**
     * The entries about one referral, or all entries when {@code referralId} is empty, in log order.
     *
     * @throws GatewayException {@code store_failed} when the database cannot be read
     */
    public static List<AuditRecord> list(DataSource dataSource, Optional<ReferralId> referralId) {
        try (Connection c = dataSource.getConnection()) {
            return list(c, referralId);
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read the audit log"
                            + referralId.map(id -> " of referral " + id).orElse("") + " (SQLSTATE " + e.getSQLState()
                            + ")",
                    e);
        }
    }

    /** As {@link #list(DataSource, Optional)}, on the caller's connection and within its transaction. */
    public static List<AuditRecord> list(Connection c, Optional<ReferralId> referralId) throws SQLException {
        String sql = "SELECT seq, at, actor, action, referral_id, detail::text FROM audit_entry"
                + (referralId.isPresent() ? " WHERE referral_id = ?" : "") + " ORDER BY seq";
        try (PreparedStatement select = c.prepareStatement(sql)) {
            if (referralId.isPresent()) {
                select.setObject(1, referralId.get().value());
            }
            List<AuditRecord> records = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID referral = rs.getObject(5, UUID.class);
                    records.add(new AuditRecord(
                            rs.getLong(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getString(3),
                            rs.getString(4),
                            Optional.ofNullable(referral).map(ReferralId::new),
                            fromJson(rs.getString(6))));
                }
            }
            return List.copyOf(records);
        }
    }

    /**
     * How many entries the log holds.
     *
     * @throws GatewayException {@code store_failed} when the database cannot be read
     */
    public static long count(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*) FROM audit_entry");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot count the audit log (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static void check(String actor, String action, Map<String, String> detail) {
        if (actor == null || !ACTOR.matcher(actor).matches()) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "audit actor is not an identifier (expected: letters,"
                            + " digits and . _ : @ -, at most 128 characters)");
        }
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "audit action is not a dotted lowercase code (expected, for instance: referral.submitted)");
        }
        for (Map.Entry<String, String> entry : detail.entrySet()) {
            if (!KEY.matcher(entry.getKey()).matches()) {
                throw new GatewayException(
                        ErrorCode.INTERNAL,
                        "audit detail key of action " + action
                                + " is not a camelCase identifier (expected: a letter, then letters and digits)");
            }
            if (entry.getValue() == null || !VALUE.matcher(entry.getValue()).matches()) {
                throw new GatewayException(
                        ErrorCode.INTERNAL,
                        "audit detail '" + entry.getKey() + "' of action "
                                + action
                                + " is not an identifier or code (expected: letters, digits and . _ : / , @ + = -,"
                                + " no spaces, at most 2048 characters)");
            }
        }
    }

    private static String toJson(Map<String, String> detail) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(detail));
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot write audit detail as JSON", e);
        }
    }

    static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, DETAIL);
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "audit detail in the database is not a JSON object" + " of strings", e);
        }
    }
}
