package fr.passerelle.core.store;

import fr.passerelle.core.referral.Department;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The breakdowns of {@link Statistics} by department beyond the types: the referrals by commune, and the declined
 * copies by the reason the recipient gave. Each department's cells follow {@link SmallCells}: the department's total
 * is known from its groups, so a lone small cell takes a second one with it.
 */
final class StatisticsDimensions {
    /** The commune cell of the referrals whose document names no commune. */
    static final String NO_COMMUNE = "none";

    /** Parameters as {@link Statistics}'s queries: period, departments (twice), types. */
    static final String COMMUNES =
            """
            SELECT department, coalesce(commune, 'none') AS code, count(*) AS n
            FROM referral
            WHERE submitted_at >= ? AND submitted_at < ? AND (?::text[] IS NULL OR department = ANY (?))
              AND type = ANY (?)
            GROUP BY department, coalesce(commune, 'none')""";

    /** A copy's reason is its last decline; a copy declined then accepted is not counted. */
    static final String DECLINES =
            """
            SELECT r.department, d.decline_reason AS code, count(*) AS n
            FROM delivery d JOIN referral r ON r.id = d.referral_id
            WHERE r.submitted_at >= ? AND r.submitted_at < ? AND (?::text[] IS NULL OR r.department = ANY (?))
              AND r.type = ANY (?) AND d.state = 'declined'
            GROUP BY r.department, d.decline_reason""";

    private final int minGroup;

    StatisticsDimensions(int minGroup) {
        this.minGroup = minGroup;
    }

    /** The referrals by department and commune; closes {@code query}. */
    List<Statistics.Cell> communes(PreparedStatement query) throws SQLException {
        return cells(query);
    }

    /** The declined copies by department and reason; closes {@code query}. */
    List<Statistics.Cell> declines(PreparedStatement query) throws SQLException {
        return cells(query);
    }

    private List<Statistics.Cell> cells(PreparedStatement query) throws SQLException {
        Map<String, Map<String, Long>> byDepartment = new TreeMap<>();
        try (query;
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                byDepartment
                        .computeIfAbsent(rows.getString("department"), d -> new TreeMap<>())
                        .put(rows.getString("code"), rows.getLong("n"));
            }
        }
        List<Statistics.Cell> cells = new ArrayList<>();
        byDepartment.forEach((department, values) -> SmallCells.of(new LinkedHashMap<>(values), true, minGroup)
                .forEach((code, count) -> cells.add(new Statistics.Cell(Department.of(department), code, count))));
        return cells;
    }
}
