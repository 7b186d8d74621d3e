package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The verifications of the audit log that administrators run, recorded in the log itself as
 * {@value #ACTION} entries (counts and the verdict, never the problem's text), so that every instance sharing the
 * database, and a restart, knows the last one. Stateless and thread-safe.
 */
public final class AuditChecks {
    /** The action of a verification's entry. */
    public static final String ACTION = "audit.verified";

    private AuditChecks() {}

    /**
     * A recorded verification.
     *
     * @param seq       its entry's number in the log, 0 while the entry waits in the queue
     * @param at        when it was recorded
     * @param actor     who ran it, such as {@code admin:alice}
     * @param ok        whether the log verified
     * @param entries   the entries verified (on a failure, those before the problem)
     * @param treeHeads the signed tree heads verified
     */
    public record Check(long seq, Instant at, String actor, boolean ok, long entries, int treeHeads) {
        public Check {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /**
     * Appends the {@value #ACTION} entry of a verification that {@code actor} ran.
     *
     * @return the entry's position in the queue
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static long record(DataSource ds, String actor, AuditVerifier.Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        try (Connection c = ds.getConnection()) {
            return AuditLog.append(
                    c,
                    actor,
                    ACTION,
                    Optional.empty(),
                    Map.of(
                            "entries",
                            Long.toString(verdict.entries()),
                            "treeHeads",
                            Integer.toString(verdict.treeHeads()),
                            "ok",
                            Boolean.toString(verdict.ok())));
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot record the verification of the audit log (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    /**
     * The latest recorded verification, if any (an index keeps it one read away however long the log).
     *
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static Optional<Check> latest(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            Optional<AuditRecord> entry = AuditLog.latest(c, ACTION);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> detail = entry.get().detail();
            return Optional.of(new Check(
                    entry.get().seq(),
                    entry.get().at(),
                    entry.get().actor(),
                    Boolean.parseBoolean(detail.get("ok")),
                    count(detail, "entries"),
                    (int) count(detail, "treeHeads")));
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read the last verification of the audit log (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    private static long count(Map<String, String> detail, String key) {
        try {
            return Long.parseLong(detail.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "audit entry " + ACTION + " holds a '" + key + "' that is not a count (expected: digits)");
        }
    }
}
