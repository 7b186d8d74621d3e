package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Figures for the prefect's evaluation of the instruction, from routing metadata only (type, department, status,
 * times): never a document, a partner's identity beyond its kind, or a person. Over the referrals submitted from
 * {@code from} to {@code to} inclusive (UTC days), by department and type:
 * <ul>
 *   <li>the referrals, and their <em>outcome</em>: each referral counted once, under its aggregate status
 *       ({@code routed, delivered, received, accepted, declined, completed, failed, expired, cancelled}, as the
 *       sender sees it), not once per copy;</li>
 *   <li>the median and 90th percentile time from submission to the first acknowledgment (the first receipt of any
 *       status, from any recipient) and to the first acceptance ({@code percentile_cont});</li>
 *   <li>the referrals the gateway judged, at submission, to be about a minor ({@link StatisticsFacets});</li>
 * </ul>
 * and, by department: the referrals by commune (the INSEE code the document names, {@code none} when it names
 * none), and the recipients' declined copies by {@linkplain fr.passerelle.core.referral.DeclineReason reason}.
 * <b>Small groups</b>: a count from 1 to {@code minGroup - 1} is suppressed ({@link Count#suppressed()}); when a
 * group shows its total, a second outcome is suppressed beside a lone suppressed one, so that the total minus the
 * visible outcomes never gives a suppressed count back (secondary suppression); the grand total is suppressed when
 * exactly one group total is, for the same reason; the communes and the decline reasons of a department follow the
 * same two rules ({@link SmallCells}), and a group's minors are hidden when they or the others are a small count
 * (the total minus the minors would give the adults back); times are shown only for groups of at least {@code minGroup}
 * acknowledged (or accepted) referrals, and their number is not shown. Zero is shown: it concerns nobody.
 * Thread-safe.
 */
public final class Statistics {
    /** Outcome codes in a referral's life order: the columns of the table (every status but held). */
    public static final List<String> OUTCOMES =
            AggregateStatus.CODES.stream().filter(code -> !code.equals("held")).toList();
    /** The longest period one report may cover. */
    public static final int MAX_DAYS = 366 * 5;

    private static final String COUNTS =
            """
            SELECT department, type, status, count(*) AS n, count(*) FILTER (WHERE minor) AS minors
            FROM referral
            WHERE submitted_at >= ? AND submitted_at < ? AND (?::text[] IS NULL OR department = ANY (?))
              AND type = ANY (?)
            GROUP BY department, type, status""";
    private static final String TIMES =
            """
            WITH r AS (
                SELECT r.department, r.type,
                       extract(epoch FROM (SELECT min(rc.recorded_at) FROM delivery d
                                           JOIN receipt rc ON rc.delivery_id = d.id
                                           WHERE d.referral_id = r.id) - r.submitted_at) AS ack,
                       extract(epoch FROM (SELECT min(rc.recorded_at) FROM delivery d
                                           JOIN receipt rc ON rc.delivery_id = d.id
                                           WHERE d.referral_id = r.id AND rc.status = 'accepted') - r.submitted_at) AS acc
                FROM referral r
                WHERE r.submitted_at >= ? AND r.submitted_at < ? AND (?::text[] IS NULL OR r.department = ANY (?))
                  AND r.type = ANY (?))
            SELECT department, type, GROUPING(department, type) AS overall,
                   count(ack) AS ack_n,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ack) AS ack_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY ack) AS ack_p90,
                   count(acc) AS acc_n,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY acc) AS acc_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY acc) AS acc_p90
            FROM r
            GROUP BY GROUPING SETS ((department, type), ())""";

    private final DataSource dataSource;
    private final int minGroup;

    /** @param minGroup the smallest group shown, from 2 (gateway.yaml {@code stats.min_group}, 5 by default) */
    public Statistics(DataSource dataSource, int minGroup) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (minGroup < 2) {
            throw new IllegalArgumentException("minGroup: " + minGroup + " (expected: 2 or more)");
        }
        this.minGroup = minGroup;
    }

    /**
     * The report over the referrals submitted on the days {@code from} to {@code to}, both included.
     *
     * @throws GatewayException {@code request_invalid} when {@code to} is before {@code from} or the period is
     *                          longer than {@value #MAX_DAYS} days; {@code store_failed} when the database fails
     */
    public Report report(LocalDate from, LocalDate to, Optional<Department> department, Optional<ReferralType> type) {
        return report(from, to, department, type.map(Set::of).orElse(EnumSet.allOf(ReferralType.class)));
    }

    /**
     * As {@link #report(LocalDate, LocalDate, Optional, Optional)}, over the referrals of {@code types} only: the
     * figures of an administrator limited to some data domains.
     */
    public Report report(LocalDate from, LocalDate to, Optional<Department> department, Set<ReferralType> types) {
        return report(from, to, department.map(Set::of).orElse(Set.of()), types);
    }

    /**
     * As {@link #report(LocalDate, LocalDate, Optional, Optional)}, over the referrals of {@code departments} (every
     * department when empty) and of {@code types} only: the figures of a reader limited to some departments or data
     * domains.
     */
    public Report report(LocalDate from, LocalDate to, Set<Department> departments, Set<ReferralType> types) {
        Objects.requireNonNull(departments, "departments");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "period " + from + " to " + to + " ends before it" + " starts (expected: from on or before to)");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "period " + from + " to " + to + " is longer than " + MAX_DAYS
                            + " days (expected: a shorter period)");
        }
        Timestamp start = Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end =
                Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        String[] departmentCodes = departments.isEmpty()
                ? null
                : departments.stream().map(Department::code).sorted().toArray(String[]::new);
        String[] codes = types.stream().map(ReferralType::code).toArray(String[]::new);
        return Transactions.inTransaction(dataSource, "compute statistics", c -> {
            Array code = c.createArrayOf("text", codes);
            Array dept = departmentCodes == null ? null : c.createArrayOf("text", departmentCodes);
            Map<String, Long> minors = new TreeMap<>();
            Map<String, Map<String, Long>> counts = counts(c, start, end, dept, code, minors);
            Map<String, Times> times = new TreeMap<>();
            Times[] overall = new Times[1];
            try (PreparedStatement s = bind(c.prepareStatement(TIMES), start, end, dept, code);
                    ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    Times t = new Times(timing(rows, "ack"), timing(rows, "acc"));
                    if (rows.getInt("overall") != 0) {
                        overall[0] = t;
                    } else {
                        times.put(key(rows.getString("department"), rows.getString("type")), t);
                    }
                }
            }
            StatisticsDimensions dimensions = new StatisticsDimensions(minGroup);
            return build(
                    from,
                    to,
                    counts,
                    minors,
                    times,
                    Optional.ofNullable(overall[0]),
                    dimensions.communes(
                            bind(c.prepareStatement(StatisticsDimensions.COMMUNES), start, end, dept, code)),
                    dimensions.declines(
                            bind(c.prepareStatement(StatisticsDimensions.DECLINES), start, end, dept, code)));
        });
    }

    private Map<String, Map<String, Long>> counts(
            Connection c, Timestamp start, Timestamp end, Array dept, Array code, Map<String, Long> minors)
            throws SQLException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        try (PreparedStatement s = bind(c.prepareStatement(COUNTS), start, end, dept, code);
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                String key = key(rows.getString("department"), rows.getString("type"));
                counts.computeIfAbsent(key, k -> new TreeMap<>()).put(rows.getString("status"), rows.getLong("n"));
                minors.merge(key, rows.getLong("minors"), Long::sum);
            }
        }
        return counts;
    }

    private static PreparedStatement bind(PreparedStatement s, Timestamp start, Timestamp end, Array dept, Array code)
            throws SQLException {
        s.setTimestamp(1, start);
        s.setTimestamp(2, end);
        s.setArray(3, dept);
        s.setArray(4, dept);
        s.setArray(5, code);
        return s;
    }

    private Timing timing(ResultSet rows, String prefix) throws SQLException {
        long n = rows.getLong(prefix + "_n");
        if (n < minGroup) {
            return Timing.SUPPRESSED;
        }
        return new Timing(
                Optional.of(seconds(rows.getDouble(prefix + "_median"))),
                Optional.of(seconds(rows.getDouble(prefix + "_p90"))));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static String key(String department, String type) {
        return department + " " + type;
    }

    private Report build(
            LocalDate from,
            LocalDate to,
            Map<String, Map<String, Long>> counts,
            Map<String, Long> minors,
            Map<String, Times> times,
            Optional<Times> overall,
            List<Cell> communes,
            List<Cell> declines) {
        List<Group> groups = new ArrayList<>();
        long total = 0;
        long allMinors = 0;
        for (Map.Entry<String, Map<String, Long>> entry : counts.entrySet()) {
            String[] key = entry.getKey().split(" ", 2);
            long referrals = entry.getValue().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            total += referrals;
            long groupMinors = minors.getOrDefault(entry.getKey(), 0L);
            allMinors += groupMinors;
            Times t = times.getOrDefault(entry.getKey(), new Times(Timing.SUPPRESSED, Timing.SUPPRESSED));
            groups.add(new Group(
                    Department.of(key[0]),
                    ReferralType.fromCode(key[1]),
                    count(referrals),
                    outcomes(entry.getValue(), referrals),
                    t.acknowledgment(),
                    t.acceptance(),
                    minors(groupMinors, referrals)));
        }
        long suppressedTotals =
                groups.stream().filter(g -> g.referrals().suppressed()).count();
        Count grand = suppressedTotals == 1 ? Count.hidden(minGroup) : count(total);
        long suppressedMinors =
                groups.stream().filter(g -> g.minors().suppressed()).count();
        // As the grand total: a lone hidden group of minors would come back as the grand minors minus the others.
        Count grandMinors = suppressedMinors == 1 && allMinors > 0 ? Count.hidden(minGroup) : minors(allMinors, total);
        Times all = overall.orElse(new Times(Timing.SUPPRESSED, Timing.SUPPRESSED));
        return new Report(
                from,
                to,
                minGroup,
                groups,
                grand,
                all.acknowledgment(),
                all.acceptance(),
                grandMinors,
                communes,
                declines);
    }

    /**
     * The minors among {@code referrals}: hidden when they are a small count, or when the others are, since the
     * total minus the minors would give those back.
     */
    private Count minors(long minors, long referrals) {
        long others = referrals - minors;
        boolean small = (minors > 0 && minors < minGroup) || (others > 0 && others < minGroup);
        return small ? Count.hidden(minGroup) : new Count(minors, false, minGroup);
    }

    /** Every outcome, zero included, with primary and secondary suppression. */
    private Map<String, Count> outcomes(Map<String, Long> byStatus, long referrals) {
        Map<String, Long> values = new LinkedHashMap<>();
        OUTCOMES.forEach(o -> values.put(o, byStatus.getOrDefault(o, 0L)));
        return SmallCells.of(values, referrals >= minGroup, minGroup);
    }

    private Count count(long n) {
        return n > 0 && n < minGroup ? Count.hidden(minGroup) : new Count(n, false, minGroup);
    }

    private record Times(Timing acknowledgment, Timing acceptance) {}

    /**
     * A count, or the mark that it is hidden.
     *
     * @param value     the count; 0 when suppressed, never to be shown then
     * @param threshold the smallest group shown, for {@link #toString()}: {@code <5}
     */
    public record Count(long value, boolean suppressed, int threshold) {
        static Count hidden(int threshold) {
            return new Count(0, true, threshold);
        }

        /** The figure, or {@code <5} when suppressed. */
        @Override
        public String toString() {
            return suppressed ? "<" + threshold : Long.toString(value);
        }
    }

    /** Median and 90th percentile of a time, both empty when the group is too small to show. */
    public record Timing(Optional<Duration> median, Optional<Duration> p90) {
        static final Timing SUPPRESSED = new Timing(Optional.empty(), Optional.empty());

        public Timing {
            Objects.requireNonNull(median, "median");
            Objects.requireNonNull(p90, "p90");
        }

        public boolean suppressed() {
            return median.isEmpty();
        }
    }

    /**
     * One department and type. {@code outcomes} holds every code of {@link #OUTCOMES}, in that order;
     * {@code minors} counts the referrals about a person the gateway treated as a minor.
     */
    public record Group(
            Department department,
            ReferralType type,
            Count referrals,
            Map<String, Count> outcomes,
            Timing acknowledgment,
            Timing acceptance,
            Count minors) {
        public Group {
            Objects.requireNonNull(department, "department");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(referrals, "referrals");
            Objects.requireNonNull(minors, "minors");
            outcomes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        }
    }

    /**
     * One cell of a breakdown by department: a commune's INSEE code ({@value StatisticsDimensions#NO_COMMUNE} when
     * the documents name none), or a decline reason's code.
     */
    public record Cell(Department department, String code, Count count) {
        public Cell {
            Objects.requireNonNull(department, "department");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(count, "count");
        }
    }

    /** The whole report; groups sorted by department, then type. */
    public record Report(
            LocalDate from,
            LocalDate to,
            int minGroup,
            List<Group> groups,
            Count total,
            Timing acknowledgment,
            Timing acceptance,
            Count minors,
            List<Cell> communes,
            List<Cell> declines) {
        public Report {
            groups = List.copyOf(groups);
            communes = List.copyOf(communes);
            declines = List.copyOf(declines);
        }
    }
}
