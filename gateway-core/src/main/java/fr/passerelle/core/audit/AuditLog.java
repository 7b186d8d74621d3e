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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Appends to the audit log's queue ({@code audit_queue}) and reads the entries back, numbered or still queued.
 *
 * <p>An entry is appended with {@link #append} on the connection of the transaction whose change it records, so
 * that the change and its entry commit or roll back together. Appending takes no shared lock: the entry, its leaf
 * hash (encoding version 2, see {@link AuditEncoding}) and the promise are written to the queue, and the
 * {@link AuditSequencer} of the database numbers it into {@code audit_entry} and covers it with a signed tree head
 * within that promise. The database refuses any UPDATE, DELETE or TRUNCATE of both tables; nothing here offers one.
 *
 * <p><b>No personal data.</b> An entry's actor, action and detail are identifiers and codes only: partner ids,
 * referral ids, route ids, type, department, urgency and status codes, digests, fingerprints. Never a name, a
 * date of birth, a phone number, an address or free text. To keep free text out, {@link #append} refuses detail
 * keys and values outside a narrow alphabet (letters, digits and {@code . _ : / , @ + = -}, no spaces).
 *
 * <p>Thread-safe. The only state is the promise this JVM gives ({@link #maxMergeDelay(Duration)}), set at start.
 */
public final class AuditLog {
    /** The promise when none is configured: {@code audit.max_merge_delay_ms} of gateway.yaml defaults to it. */
    public static final Duration DEFAULT_MAX_MERGE_DELAY = Duration.ofSeconds(1);

    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z-]*(\\.[a-z][a-z-]*)+");
    private static final Pattern KEY = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:/,@+=-]{0,2048}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> DETAIL = new TypeReference<>() {};
    private static final String QUEUE_INSERT = "INSERT INTO audit_queue (at, max_merge_delay_ms, actor, action,"
            + " referral_id, detail, leaf_hash) VALUES ";
    private static final String QUEUE_ROW = "(?, ?, ?, ?, ?, ?::jsonb, ?)";

    private static volatile Duration maxMergeDelay = DEFAULT_MAX_MERGE_DELAY;

    private AuditLog() {}

    /**
     * Sets the promise that this JVM gives for the entries it appends from now on: a signed tree head covers each
     * within this delay of its time. The gateway sets it at start from {@code audit.max_merge_delay_ms}; its
     * sequencer runs often enough to keep it.
     *
     * @throws GatewayException {@code request_invalid} unless between 100 ms and 1 hour
     */
    public static void maxMergeDelay(Duration promise) {
        if (promise.compareTo(Duration.ofMillis(100)) < 0 || promise.compareTo(Duration.ofHours(1)) > 0) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "maximum merge delay " + promise.toMillis() + " ms is out of range (expected: 100 to 3600000)");
        }
        maxMergeDelay = promise;
    }

    /** The promise this JVM gives for the entries it appends. */
    public static Duration maxMergeDelay() {
        return maxMergeDelay;
    }

    /**
     * Appends one entry to the queue inside the caller's transaction, with its leaf hash, the current time and the
     * promise. Takes no shared lock: appenders of every instance proceed side by side. On a connection in
     * auto-commit mode, the append is a transaction of its own.
     *
     * @param c          the connection of the transaction whose change this entry records
     * @param actor      a partner id, {@code gateway} or an administrator's id
     * @param action     a dotted lowercase code, such as {@code referral.submitted}
     * @param referralId the referral concerned, if any
     * @param detail     identifiers and codes only (see the class comment)
     * @return the entry's position in the queue (not its number in the log, which the sequencer gives later)
     * @throws GatewayException {@code internal} when the actor, action or detail is not of the expected shape;
     *                          the message never repeats the offending value
     * @throws SQLException     when the insert fails; the caller's transaction should then roll back
     */
    public static long append(
            Connection c, String actor, String action, Optional<ReferralId> referralId, Map<String, String> detail)
            throws SQLException {
        return appendAll(c, List.of(new Entry(actor, action, referralId, detail)))
                .get(0);
    }

    /**
     * Appends several entries, in the order given, inside the caller's transaction, in one request: the same time
     * and promise for all, consecutive places in the queue relative to each other.
     *
     * @param entries at least one
     * @return the queue position of each entry, in the order given
     * @throws GatewayException as {@link #append}; nothing is appended when any entry is refused
     * @throws SQLException     as {@link #append}
     */
    public static List<Long> appendAll(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            throw new GatewayException(ErrorCode.INTERNAL, "no audit entry to append (expected: at least one)");
        }
        entries.forEach(e -> check(e.actor(), e.action(), e.detail()));
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration promise = maxMergeDelay;
        OffsetDateTime time = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        String sql = QUEUE_INSERT + String.join(", ", Collections.nCopies(entries.size(), QUEUE_ROW)) + " RETURNING id";
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            int p = 1;
            for (Entry entry : entries) {
                AuditRecord record = new AuditRecord(
                        0,
                        at,
                        entry.actor(),
                        entry.action(),
                        entry.referralId(),
                        entry.detail(),
                        Optional.of(new AuditRecord.Queued(0, promise)));
                insert.setObject(p++, time);
                insert.setInt(p++, (int) promise.toMillis());
                insert.setString(p++, entry.actor());
                insert.setString(p++, entry.action());
                insert.setObject(p++, entry.referralId().map(ReferralId::value).orElse(null));
                insert.setString(p++, toJson(entry.detail()));
                insert.setBytes(p++, AuditEncoding.leafHash(record));
            }
            List<Long> positions = new ArrayList<>(entries.size());
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getLong(1));
                }
            }
            // One statement takes its positions in the order of its rows.
            Collections.sort(positions);
            return List.copyOf(positions);
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

    /**
     * As {@link #list(DataSource, Optional)}, on the caller's connection and within its transaction. Reads the queue,
     * where an entry is as soon as its transaction commits, with its number once the sequencer gave it (0 before);
     * the entries written before the queue existed come first.
     */
    public static List<AuditRecord> list(Connection c, Optional<ReferralId> referralId) throws SQLException {
        String where = referralId.isPresent() ? " AND referral_id = ?" : "";
        String sql = "SELECT * FROM (SELECT seq, at, actor, action, referral_id, detail::text, 0::bigint AS position,"
                + " 0 AS promise FROM audit_entry WHERE queue_id IS NULL" + where
                + " UNION ALL SELECT coalesce(e.seq, 0), q.at, q.actor, q.action, q.referral_id, q.detail::text, q.id,"
                + " q.max_merge_delay_ms FROM audit_queue q LEFT JOIN audit_entry e ON e.queue_id = q.id WHERE true"
                + where.replace("referral_id", "q.referral_id") + ") AS a ORDER BY position, seq";
        try (PreparedStatement select = c.prepareStatement(sql)) {
            if (referralId.isPresent()) {
                select.setObject(1, referralId.get().value());
                select.setObject(2, referralId.get().value());
            }
            return read(select);
        }
    }

    /**
     * The latest entry of {@code action}, numbered or still queued, if any: one index read, however long the log.
     *
     * @throws SQLException when the database fails
     */
    static Optional<AuditRecord> latest(Connection c, String action) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT coalesce(e.seq, 0), q.at, q.actor, q.action,"
                + " q.referral_id, q.detail::text, q.id, q.max_merge_delay_ms FROM audit_queue q LEFT JOIN audit_entry"
                + " e ON e.queue_id = q.id WHERE q.action = ? ORDER BY q.id DESC LIMIT 1")) {
            select.setString(1, action);
            List<AuditRecord> queued = read(select);
            if (!queued.isEmpty()) {
                return Optional.of(queued.get(0));
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT seq, at, actor, action, referral_id, detail::text,"
                + " 0, 0 FROM audit_entry WHERE action = ? AND queue_id IS NULL ORDER BY seq DESC LIMIT 1")) {
            select.setString(1, action);
            return read(select).stream().findFirst();
        }
    }

    /**
     * The queue position of the first entry of {@code action} about a referral, if it was queued: what a replayed
     * request answers again.
     *
     * @throws SQLException when the database fails
     */
    public static Optional<Long> position(Connection c, ReferralId referralId, String action) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM audit_queue WHERE referral_id = ? AND action = ? ORDER BY id LIMIT 1")) {
            select.setObject(1, referralId.value());
            select.setString(2, action);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Reads rows of (seq, at, actor, action, referral_id, detail, position, promise ms), position 0 for unqueued. */
    private static List<AuditRecord> read(PreparedStatement select) throws SQLException {
        List<AuditRecord> records = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                UUID referral = rs.getObject(5, UUID.class);
                long position = rs.getLong(7);
                records.add(new AuditRecord(
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        Optional.ofNullable(referral).map(ReferralId::new),
                        fromJson(rs.getString(6)),
                        position == 0
                                ? Optional.empty()
                                : Optional.of(new AuditRecord.Queued(position, Duration.ofMillis(rs.getInt(8))))));
            }
        }
        return List.copyOf(records);
    }

    /**
     * How many entries were appended: those the log holds and those still waiting in its queue.
     *
     * @throws GatewayException {@code store_failed} when the database cannot be read
     */
    public static long count(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT (SELECT count(*) FROM audit_queue)"
                        + " + (SELECT count(*) FROM audit_entry WHERE queue_id IS NULL)");
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
