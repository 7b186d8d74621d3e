package fr.passerelle.core.keys;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.referral.Domain;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Re-wraps stored data keys under the current master key of their own family, so that older master keys can be
 * retired. A row stays in the family of the key that wraps it now (see {@link PayloadCipher}): a police-justice
 * data key is never wrapped under a victim-support key, nor the reverse.
 *
 * <p>A rotation is: {@link MasterKeys#addKey} on a family's file (running gateways pick the new key up within a
 * second), then {@link #rewrap}, then, once {@link #usage} shows no row under an old key, {@link MasterKeys#retire}
 * on the file that holds it. Only the
 * wrapped data keys change; the encrypted payloads stay byte for byte as they are.
 *
 * <p>Thread-safe; holds no state.
 */
public final class KeyRotation {
    /** Audit actor of a rotation. */
    static final String ACTOR = "admin";

    /** The tables whose rows hold a wrapped data key, with the column that names the row in messages. */
    private enum Table {
        REFERRAL("referral", "id", "key_id", "wrapped_key", "id::text", "document of referral "),
        DELIVERY(
                "delivery",
                "id",
                "key_id",
                "wrapped_key",
                "referral_id::text || ' for ' || recipient",
                "payload of referral "),
        HELD_COPY(
                "held_copy",
                "id",
                "key_id",
                "wrapped_key",
                "referral_id::text || ' for ' || recipient",
                "held copy of referral "),
        HOLD_COMMENT(
                "referral_hold",
                "referral_id",
                "comment_key_id",
                "comment_wrapped",
                "referral_id::text",
                "release comment of referral ");

        private final String name;
        private final String id;
        private final String keyId;
        private final String wrapped;
        private final String label;
        private final String subject;

        Table(String name, String id, String keyId, String wrapped, String label, String subject) {
            this.name = name;
            this.id = id;
            this.keyId = keyId;
            this.wrapped = wrapped;
            this.label = label;
            this.subject = subject;
        }
    }

    /**
     * What {@link #rewrap} did.
     *
     * @param currentIds     the current key id of each family, the targets of the re-wrap
     * @param rewrapped      how many data keys it wrapped again under the current master key of their family
     * @param remainingByKey rows still under a master key other than the current ones, by key id, when it
     *                       finished: rows that other transactions held locked, or that a gateway which had not
     *                       read the new key yet wrote meanwhile. Empty when the rotation is complete.
     */
    public record Result(Map<Domain, String> currentIds, long rewrapped, Map<String, Long> remainingByKey) {
        public Result {
            currentIds = Map.copyOf(currentIds);
            remainingByKey = Map.copyOf(remainingByKey);
        }
    }

    private KeyRotation() {}

    /**
     * Wraps every data key not under the current master key of its family again under that key, in batches. Each batch is one short
     * transaction that locks its rows with {@code FOR NO KEY UPDATE SKIP LOCKED}: it never waits for a concurrent
     * submission, pull or receipt, skips the rows they hold, and blocks them at most for one batch. Appends a
     * {@code keys.rotated} audit entry by {@code admin} with the current key id of each family (detail keys
     * {@code victimSupportKeyId} and {@code policeJusticeKeyId}) and the counts.
     *
     * @param batchSize rows per transaction, 1 to 10000
     * @throws GatewayException {@code store_failed} when the database fails or a data key does not unwrap (its
     *                          master key is missing from the file, or the row was changed); rows re-wrapped by
     *                          earlier batches stay re-wrapped
     */
    public static Result rewrap(DataSource ds, PayloadCipher cipher, int batchSize) {
        Objects.requireNonNull(ds, "ds");
        Objects.requireNonNull(cipher, "cipher");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "batchSize " + batchSize + " is out of range (expected: 1-10000)");
        }
        // Read the file now: the key just added must be the target, not the one this cipher saw a second ago.
        Map<Domain, String> targets = cipher.reloadedCurrentIds();
        long rewrapped = 0;
        for (Table table : Table.values()) {
            int done;
            do {
                done = inTransaction(
                        ds,
                        "re-wrap the data keys of table " + table.name,
                        c -> batch(c, table, cipher, targets, batchSize));
                rewrapped += done;
            } while (done > 0);
        }
        Map<String, Long> remaining = new TreeMap<>(usage(ds));
        remaining.keySet().removeAll(targets.values());
        long count = rewrapped;
        inTransaction(ds, "audit the key rotation", c -> {
            AuditLog.append(
                    c,
                    ACTOR,
                    "keys.rotated",
                    Optional.empty(),
                    Map.of(
                            "victimSupportKeyId",
                            targets.get(Domain.VICTIM_SUPPORT),
                            "policeJusticeKeyId",
                            targets.get(Domain.POLICE_JUSTICE),
                            "rewrapped",
                            Long.toString(count),
                            "remaining",
                            Long.toString(remaining.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum())));
            return 0;
        });
        return new Result(targets, rewrapped, remaining);
    }

    /**
     * How many stored data keys each master key wraps, referrals, deliveries, held copies and release comments
     * together, by key id; the ids of both families are in the one map ({@link PayloadCipher#domainOf} tells
     * which family holds one).
     *
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static Map<String, Long> usage(DataSource ds) {
        Objects.requireNonNull(ds, "ds");
        return inTransaction(ds, "count the data keys by master key", c -> {
            Map<String, Long> usage = new TreeMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT key_id, count(*) FROM referral WHERE key_id IS NOT NULL GROUP BY key_id"
                                    + " UNION ALL SELECT key_id, count(*) FROM delivery WHERE key_id IS NOT NULL GROUP BY key_id"
                                    + " UNION ALL SELECT key_id, count(*) FROM held_copy GROUP BY key_id"
                                    + " UNION ALL SELECT comment_key_id, count(*) FROM referral_hold"
                                    + " WHERE comment_key_id IS NOT NULL GROUP BY comment_key_id")) {
                while (rs.next()) {
                    usage.merge(rs.getString(1), rs.getLong(2), Long::sum);
                }
            }
            return usage;
        });
    }

    /** Re-wraps one batch of a table's rows, skipping those other transactions hold. */
    private static int batch(Connection c, Table table, PayloadCipher cipher, Map<Domain, String> targets, int size)
            throws SQLException {
        record Row(Object id, String keyId, byte[] wrappedKey, String label) {}
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT " + table.id + ", " + table.keyId + ", "
                + table.wrapped + ", " + table.label + " FROM " + table.name + " WHERE " + table.keyId
                + " <> ALL (?) LIMIT ? FOR NO KEY UPDATE SKIP LOCKED")) {
            select.setArray(1, c.createArrayOf("text", targets.values().toArray()));
            select.setInt(2, size);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1), rs.getString(2), rs.getBytes(3), rs.getString(4)));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE " + table.name + " SET " + table.keyId + " = ?, "
                + table.wrapped + " = ? WHERE " + table.id + " = ? AND " + table.keyId + " = ?")) {
            for (Row row : rows) {
                PayloadCipher.Encrypted again =
                        cipher.rewrap(row.keyId(), row.wrappedKey(), targets, table.subject + row.label());
                update.setString(1, again.keyId());
                update.setBytes(2, again.wrappedKey());
                update.setObject(3, row.id());
                update.setString(4, row.keyId());
                update.addBatch();
            }
            update.executeBatch();
        }
        return rows.size();
    }

    private static <T> T inTransaction(DataSource ds, String what, Transactions.Work<T> work) {
        return Transactions.inTransaction(ds, what, work);
    }
}
