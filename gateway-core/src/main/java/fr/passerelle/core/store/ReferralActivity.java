package fr.passerelle.core.store;

import fr.passerelle.core.config.model.DeadlineRule;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What the console's dashboard tells of the referrals of some types, from their columns in clear only (type,
 * urgency, status, times): how many were submitted today and this week, by status; which ones a deadline of
 * routes.yaml overtakes soon; which ones were escalated lately. One query each, never a document. Thread-safe.
 */
public final class ReferralActivity {
    /** The statuses of a referral that no recipient has acknowledged: an acknowledgement deadline watches them. */
    private static final List<String> UNACKNOWLEDGED = List.of("routed", "delivered");

    private static final String COUNTS =
            """
            SELECT status, count(*) FILTER (WHERE submitted_at >= ?) AS today, count(*) AS week
            FROM referral
            WHERE submitted_at >= ? AND type = ANY (?)
            GROUP BY status""";
    // One row per rule, urgency and deadline; each referral once, at the first of its deadlines in the window. The
    // statuses nobody accepted yet, and bounds on submitted_at, as the deadline watch's index (referral_open) has.
    private static final String DUE =
            """
            WITH rule (type, urgency, secs, deadline) AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[])),
            due AS (
                SELECT r.id,
                       min(r.submitted_at + rule.secs * interval '1 second') AS at,
                       (array_agg(rule.deadline ORDER BY rule.secs))[1] AS deadline
                FROM rule JOIN referral r ON r.type = rule.type AND r.urgency = rule.urgency
                WHERE r.status IN ('routed', 'delivered', 'received')
                  AND r.submitted_at > ?::timestamptz - rule.secs * interval '1 second'
                  AND r.submitted_at <= ?::timestamptz - rule.secs * interval '1 second'
                  AND (rule.deadline = 'expiry'
                       OR (r.status = ANY (?) AND r.escalated_at IS NULL))
                GROUP BY r.id)
            SELECT id, at, deadline, count(*) OVER () AS n FROM due ORDER BY at, id LIMIT ?""";
    private static final String ESCALATED =
            """
            SELECT id, escalated_at, count(*) OVER () AS n
            FROM referral
            WHERE escalated_at >= ? AND type = ANY (?)
            ORDER BY escalated_at DESC, id DESC LIMIT ?""";

    private final DataSource dataSource;

    public ReferralActivity(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The referrals submitted on one day and in its week, by status.
     *
     * @param dayStart  the start of the day
     * @param weekStart the start of the Monday of its week (the day's start on a Monday)
     * @param byStatus  the statuses of {@link AggregateStatus#CODES} that a referral of the week has, in that order
     */
    public record Counts(Instant dayStart, Instant weekStart, List<StatusCount> byStatus) {
        public Counts {
            Objects.requireNonNull(dayStart, "dayStart");
            Objects.requireNonNull(weekStart, "weekStart");
            byStatus = List.copyOf(byStatus);
        }

        /** Every referral of the day. */
        public long today() {
            return byStatus.stream().mapToLong(StatusCount::today).sum();
        }

        /** Every referral of the week. */
        public long week() {
            return byStatus.stream().mapToLong(StatusCount::week).sum();
        }
    }

    /** How many referrals of the day, and of the week, have one status. */
    public record StatusCount(String status, long today, long week) {}

    /**
     * How many referrals of {@code types} were submitted on {@code today} and since the Monday of its week, days in
     * {@code zone}, by their status now.
     *
     * @throws fr.passerelle.core.GatewayException {@code store_failed} when the database fails
     */
    public Counts counts(LocalDate today, ZoneId zone, Set<ReferralType> types) {
        Instant dayStart = today.atStartOfDay(zone).toInstant();
        Instant weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(zone)
                .toInstant();
        return Transactions.inTransaction(dataSource, "count the referrals of the week", c -> {
            Map<String, StatusCount> found = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement(COUNTS)) {
                select.setObject(1, JdbcReferralStore.timestamp(dayStart));
                select.setObject(2, JdbcReferralStore.timestamp(weekStart));
                select.setArray(3, codes(c, types));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString(1);
                        found.put(status, new StatusCount(status, rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            List<StatusCount> byStatus = AggregateStatus.CODES.stream()
                    .filter(found::containsKey)
                    .map(found::get)
                    .toList();
            return new Counts(dayStart, weekStart, byStatus);
        });
    }

    /** Which deadline of a rule: the acknowledgement that escalates, or the acceptance that expires. */
    public enum Deadline {
        ACKNOWLEDGEMENT,
        EXPIRY
    }

    /** A referral and the first of its deadlines that passes in the window. */
    public record Due(ReferralId id, Instant at, Deadline deadline) {}

    /**
     * The referrals whose deadline passes in the window.
     *
     * @param count every one of them
     * @param first the first {@code limit} of them, soonest first
     */
    public record DueSoon(long count, List<Due> first) {
        public DueSoon {
            first = List.copyOf(first);
        }
    }

    /**
     * The referrals of {@code types} that a deadline of {@code rules} overtakes after {@code now} and at most
     * {@code window} later, as {@link fr.passerelle.core.notice.DeadlineWatch} will: an acknowledgement deadline
     * for a referral that nobody acknowledged and that was not escalated yet, an expiry for one that nobody
     * accepted. A deadline already passed, which the watch is about to apply, is not counted.
     *
     * @param limit how many to name, the soonest first
     * @throws fr.passerelle.core.GatewayException {@code store_failed} when the database fails
     */
    public DueSoon dueSoon(List<DeadlineRule> rules, Instant now, Duration window, Set<ReferralType> types, int limit) {
        List<String> ruleTypes = new ArrayList<>();
        List<String> urgencies = new ArrayList<>();
        List<Long> seconds = new ArrayList<>();
        List<String> deadlines = new ArrayList<>();
        for (DeadlineRule rule : rules) {
            if (!types.contains(rule.type())) {
                continue;
            }
            for (Urgency urgency : rule.urgencies()) {
                rule.acknowledgeWithin().ifPresent(within -> {
                    ruleTypes.add(rule.type().code());
                    urgencies.add(urgency.code());
                    seconds.add(within.toSeconds());
                    deadlines.add("acknowledgement");
                });
                rule.expireAfter().ifPresent(after -> {
                    ruleTypes.add(rule.type().code());
                    urgencies.add(urgency.code());
                    seconds.add(after.toSeconds());
                    deadlines.add("expiry");
                });
            }
        }
        if (ruleTypes.isEmpty()) {
            return new DueSoon(0, List.of());
        }
        return Transactions.inTransaction(dataSource, "find the referrals whose deadline passes soon", c -> {
            try (PreparedStatement select = c.prepareStatement(DUE)) {
                select.setArray(1, c.createArrayOf("text", ruleTypes.toArray()));
                select.setArray(2, c.createArrayOf("text", urgencies.toArray()));
                select.setArray(3, c.createArrayOf("bigint", seconds.toArray()));
                select.setArray(4, c.createArrayOf("text", deadlines.toArray()));
                select.setObject(5, JdbcReferralStore.timestamp(now));
                select.setObject(6, JdbcReferralStore.timestamp(now.plus(window)));
                select.setArray(7, c.createArrayOf("text", UNACKNOWLEDGED.toArray()));
                select.setInt(8, limit);
                long count = 0;
                List<Due> first = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        first.add(new Due(
                                new ReferralId(rs.getObject(1, UUID.class)),
                                JdbcReferralStore.instant(rs, 2),
                                rs.getString(3).equals("expiry") ? Deadline.EXPIRY : Deadline.ACKNOWLEDGEMENT));
                        count = rs.getLong(4);
                    }
                }
                return new DueSoon(count, first);
            }
        });
    }

    /** A referral escalated for want of an acknowledgement, and when. */
    public record Escalation(ReferralId id, Instant at) {}

    /**
     * The referrals escalated in a period.
     *
     * @param count  every one of them
     * @param latest the latest {@code limit} of them, the latest first
     */
    public record Escalations(long count, List<Escalation> latest) {
        public Escalations {
            latest = List.copyOf(latest);
        }
    }

    /**
     * The referrals of {@code types} escalated at or after {@code since}, whatever they became afterwards.
     *
     * @throws fr.passerelle.core.GatewayException {@code store_failed} when the database fails
     */
    public Escalations escalatedSince(Instant since, Set<ReferralType> types, int limit) {
        return Transactions.inTransaction(dataSource, "find the referrals escalated lately", c -> {
            try (PreparedStatement select = c.prepareStatement(ESCALATED)) {
                select.setObject(1, JdbcReferralStore.timestamp(since));
                select.setArray(2, codes(c, types));
                select.setInt(3, limit);
                long count = 0;
                List<Escalation> latest = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        latest.add(new Escalation(
                                new ReferralId(rs.getObject(1, UUID.class)), JdbcReferralStore.instant(rs, 2)));
                        count = rs.getLong(3);
                    }
                }
                return new Escalations(count, latest);
            }
        });
    }

    private static Array codes(Connection c, Set<ReferralType> types) throws SQLException {
        return c.createArrayOf("text", types.stream().map(ReferralType::code).toArray());
    }
}
