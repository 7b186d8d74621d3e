package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.RetentionRule;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Storage limitation (GDPR art. 5(1)(e)): each referral's content is erased ({@link Erasure}) once its retention
 * ({@code retention:} in gateway.yaml) has run out — {@code after_end} after the referral reached its end (completed,
 * declined, expired or cancelled; counted from the last change of any of its copies), or {@code at_most} after its
 * submission, whichever comes first — and the sender's signed original {@code signed_original} after submission. An
 * administrator's erasure order erases one referral at once. Each erasure is its own transaction with an audit entry
 * (ids, reason and counts), and a line in the {@link PurgeLog}. Every instance may run the purge: a referral is
 * locked with {@code SKIP LOCKED} and erased once. Thread-safe.
 */
public final class Purges {
    /** The ends after which nothing changes any more. */
    static final List<String> ENDED = List.of("completed", "declined", "expired", "cancelled");
    /** Why an administrator orders an erasure (GDPR art. 17). */
    public static final List<String> JUSTIFICATIONS =
            List.of("erasure-request", "unlawful-processing", "court-order", "retention-exceeded");

    private static final List<String> STOPPED = List.of("pending", "delivered", "received", "accepted", "failed");

    private final DataSource dataSource;
    private final Clock clock;
    private final Supplier<Retention> retention;
    private final PurgeLog log;

    public Purges(DataSource dataSource, Clock clock, Supplier<Retention> retention, PurgeLog log) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * A referral whose content is kept until {@code dueAt}.
     *
     * @param reason {@code after-end}, {@code at-most} or, for the sender's signed original alone,
     *               {@code signed-original}
     */
    public record Due(ReferralId id, ReferralType type, String status, Instant dueAt, String reason) {
        public Due {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(dueAt, "dueAt");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** How far behind the purge is: referrals past due, and when the oldest of them fell due. */
    public record Backlog(long overdue, Optional<Instant> oldestDueAt) {
        public Backlog {
            Objects.requireNonNull(oldestDueAt, "oldestDueAt");
        }
    }

    /**
     * What the purge would erase, and when: every referral whose content is still stored with a due date no later
     * than {@code until}, oldest first, at most {@code limit}. What falls due by now is what {@link #purgeDue} erases.
     */
    public List<Due> schedule(Instant until, int limit) {
        return Transactions.inTransaction(
                dataSource, "list the referrals due for purge", c -> schedule(c, until, limit));
    }

    /** Referrals past due now, and the oldest due date among them. */
    public Backlog backlog() {
        Instant now = clock.instant();
        return Transactions.inTransaction(dataSource, "measure the purge backlog", c -> {
            try (PreparedStatement select =
                    c.prepareStatement("SELECT count(*), min(due_at) FROM (" + DUE + ") due WHERE due_at <= ?")) {
                int i = bindRules(select, 1);
                select.setObject(i, JdbcReferralStore.timestamp(now));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new Backlog(
                            rs.getLong(1),
                            rs.getObject(2) == null ? Optional.empty() : Optional.of(JdbcReferralStore.instant(rs, 2)));
                }
            }
        });
    }

    /**
     * Erases what is due now, each referral in its own transaction, at most {@code limit}.
     *
     * @return how many referrals this call erased (others may have been erased by another instance meanwhile)
     */
    public int purgeDue(int limit) {
        Instant now = clock.instant();
        int purged = 0;
        for (Due due : schedule(now, limit)) {
            if (erase(due, "gateway", "referral.purged", Map.of("reason", due.reason()))) {
                purged++;
            }
        }
        return purged;
    }

    /**
     * An administrator's erasure order: erases one referral's content at once.
     *
     * @param actor         {@code admin:<id>}
     * @param justification one of {@link #JUSTIFICATIONS}
     * @return false when its content was already erased
     * @throws GatewayException {@code referral_not_found}; {@code rule_violation} for an unknown justification
     */
    public boolean order(ReferralId id, String actor, String justification) {
        return order(id, EnumSet.allOf(ReferralType.class), actor, justification);
    }

    /**
     * As {@link #order(ReferralId, String, String)} for an actor that may see the referrals of {@code visible} only:
     * a referral of another type is answered as one that does not exist ({@code referral_not_found}), after the
     * same check of the justification.
     */
    public boolean order(ReferralId id, Set<ReferralType> visible, String actor, String justification) {
        if (!JUSTIFICATIONS.contains(justification)) {
            throw new GatewayException(
                    ErrorCode.RULE_VIOLATION,
                    "justification '" + justification.strip().replaceAll("[^a-z-]", "")
                            + "' is unknown (expected one of: " + String.join(", ", JUSTIFICATIONS)
                            + ")");
        }
        Optional<ReferralType> type = type(id, false);
        ReferralType found = type.filter(visible::contains).orElseThrow(id::notFound);
        return erase(
                new Due(id, found, "", clock.instant(), "erasure-order"),
                actor,
                "referral.erased",
                Map.of("justification", justification));
    }

    /**
     * Erases again every referral the purge log lists whose content a restored backup brought back.
     *
     * @return how many referrals were erased again
     */
    public int replay(List<ReferralId> ids) {
        int erased = 0;
        for (ReferralId id : ids) {
            Optional<ReferralType> type = type(id, true);
            if (type.isPresent()
                    && erase(
                            new Due(id, type.get(), "", clock.instant(), "replayed"),
                            "gateway",
                            "referral.purged",
                            Map.of("reason", "replayed"))) {
                erased++;
            }
        }
        return erased;
    }

    /** The type of referral {@code id}; with {@code unpurged}, only while its content is still stored. */
    private Optional<ReferralType> type(ReferralId id, boolean unpurged) {
        return Transactions.inTransaction(dataSource, "find referral " + id, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT type FROM referral WHERE id = ?" + (unpurged ? " AND purged_at IS NULL" : ""))) {
                select.setObject(1, id.value());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(ReferralType.fromCode(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Erases one referral unless another transaction holds it or it is already erased. */
    private boolean erase(Due due, String actor, String action, Map<String, String> why) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        boolean signedOriginalOnly = due.reason().equals("signed-original");
        boolean erased = Transactions.inTransaction(dataSource, "erase referral " + due.id(), c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM referral WHERE id = ? AND purged_at IS NULL"
                    + (signedOriginalOnly ? " AND document IS NOT NULL" : "") + " FOR UPDATE SKIP LOCKED")) {
                lock.setObject(1, due.id().value());
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            Map<String, String> detail = new LinkedHashMap<>(why);
            if (signedOriginalOnly) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE referral SET document = NULL," + " key_id = NULL, wrapped_key = NULL WHERE id = ?")) {
                    update.setObject(1, due.id().value());
                    update.executeUpdate();
                }
                AuditLog.append(c, actor, "referral.original-erased", Optional.of(due.id()), detail);
                return true;
            }
            int stopped = Copies.stop(c, due.id(), STOPPED, now);
            int erasedCount = Erasure.erase(c, due.id(), now);
            detail.put("copiesStopped", Integer.toString(stopped));
            detail.put("ciphertextsErased", Integer.toString(erasedCount));
            AuditLog.append(c, actor, action, Optional.of(due.id()), detail);
            return true;
        });
        if (erased && !signedOriginalOnly) {
            log.append(due.id(), now, due.reason());
        }
        return erased;
    }

    private List<Due> schedule(Connection c, Instant until, int limit) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT id, type, status, due_at, reason FROM (" + DUE
                + ") due WHERE due_at <= ? ORDER BY due_at, id LIMIT ?")) {
            int i = bindRules(select, 1);
            select.setObject(i, JdbcReferralStore.timestamp(until));
            select.setInt(i + 1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(
                            new ReferralId(rs.getObject(1, UUID.class)),
                            ReferralType.fromCode(rs.getString(2)),
                            rs.getString(3),
                            JdbcReferralStore.instant(rs, 4),
                            rs.getString(5)));
                }
            }
        }
        return due;
    }

    /** The retention rules as rows (type, after_end seconds, at_most seconds), then the signed original's. */
    private int bindRules(PreparedStatement select, int first) throws SQLException {
        Retention rules = retention.get();
        int i = first;
        for (ReferralType type : ReferralType.values()) {
            RetentionRule rule = rules.rule(type);
            select.setString(i++, type.code());
            select.setLong(i++, rule.afterEnd().toSeconds());
            select.setLong(i++, rule.atMost().toSeconds());
        }
        select.setLong(i++, rules.signedOriginal().toSeconds());
        return i;
    }

    /**
     * Each referral whose content is still stored, with the date its retention runs out and why: the earlier of
     * {@code at_most} after submission and, once it ended, {@code after_end} after the last change of its copies;
     * and each signed original still kept, {@code signed_original} after submission.
     */
    private static final String DUE = "WITH rules(type, after_end, at_most) AS (VALUES "
            + Arrays.stream(ReferralType.values())
                    .map(t -> "(?, ?::bigint, ?::bigint)")
                    .collect(Collectors.joining(", "))
            + "), signed(keep) AS (SELECT ?::bigint), "
            + "ends AS (SELECT r.id, r.type, r.status, r.submitted_at, r.document IS NOT NULL AS has_original,"
            + " (SELECT max(d.updated_at) FROM delivery d WHERE d.referral_id = r.id AND d.notice IS NULL) AS last_change"
            + " FROM referral r WHERE r.purged_at IS NULL), "
            + "whole AS (SELECT e.id, e.type, e.status, e.submitted_at + ru.at_most * interval '1 second' AS at_most,"
            + " CASE WHEN e.status IN ("
            + ENDED.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "))
            + ") THEN COALESCE(e.last_change, e.submitted_at) + ru.after_end * interval '1 second' END AS after_end"
            + " FROM ends e JOIN rules ru ON ru.type = e.type) "
            + "SELECT id, type, status, LEAST(at_most, after_end) AS due_at, CASE WHEN after_end IS NOT NULL"
            + " AND after_end < at_most THEN 'after-end' ELSE 'at-most' END AS reason FROM whole "
            + "UNION ALL SELECT e.id, e.type, e.status, e.submitted_at + s.keep * interval '1 second', 'signed-original'"
            + " FROM ends e, signed s WHERE e.has_original";

    @Override
    public String toString() {
        return "Purges[" + log.file().getFileName().toString().toLowerCase(Locale.ROOT) + "]";
    }
}
