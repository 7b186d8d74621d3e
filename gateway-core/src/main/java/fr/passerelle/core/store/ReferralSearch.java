package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What an administrator reads to find a referral: a search over the columns in clear (id, type, department,
 * urgency, sender, submission time, aggregate status) and each referral's recipients with the state of their copy,
 * and a referral's timeline ({@link ReferralTimeline}). Never the document, a copy's payload or a hold's comment.
 * Every read takes the referral types an administrator covers: a referral of another type is answered as one that
 * does not exist. Thread-safe.
 */
public final class ReferralSearch {
    /** Largest page of a search. */
    public static final int MAX_PAGE = 100;

    private final DataSource dataSource;

    public ReferralSearch(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The start of a referral id as an operator reads it aloud: 4 to 32 hex digits, dashes ignored, any case.
     *
     * @param lowest  the smallest id that starts so
     * @param highest the largest id that starts so
     */
    public record IdPrefix(UUID lowest, UUID highest) {
        private static final Pattern HEX = Pattern.compile("[0-9a-f]{4,32}");

        public IdPrefix {
            Objects.requireNonNull(lowest, "lowest");
            Objects.requireNonNull(highest, "highest");
        }

        /** @throws GatewayException {@code request_invalid} when the text is not 4 to 32 hex digits */
        public static IdPrefix parse(String text) {
            String hex = text.replace("-", "").toLowerCase(Locale.ROOT);
            if (!HEX.matcher(hex).matches()) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "id is not the start of a referral id (expected: 4 to 32 hex digits, dashes ignored, such"
                                + " as 3b58 or 3b58c0e2-7d1a)");
            }
            return new IdPrefix(uuid(hex, '0'), uuid(hex, 'f'));
        }

        private static UUID uuid(String hex, char pad) {
            String full = hex + String.valueOf(pad).repeat(32 - hex.length());
            return new UUID(
                    Long.parseUnsignedLong(full.substring(0, 16), 16), Long.parseUnsignedLong(full.substring(16), 16));
        }
    }

    /**
     * What a search keeps; every part is optional but {@code types}.
     *
     * @param id      the start of the id
     * @param partner the sender, or a recipient of a copy (held copies included)
     * @param from    submitted at or after
     * @param to      submitted before
     * @param types   the types asked for, within those the administrator covers: nothing else is ever found
     */
    public record Filter(
            Optional<IdPrefix> id,
            Optional<Department> department,
            Optional<String> status,
            Optional<PartnerId> partner,
            Optional<Instant> from,
            Optional<Instant> to,
            Set<ReferralType> types) {
        public Filter {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(department, "department");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(partner, "partner");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            types = Set.copyOf(types);
            status.ifPresent(s -> {
                if (!AggregateStatus.CODES.contains(s)) {
                    throw new GatewayException(
                            ErrorCode.REQUEST_INVALID,
                            "state '" + s.replaceAll("[^a-z-]", "?") + "' is unknown (expected one of: "
                                    + String.join(", ", AggregateStatus.CODES) + ")");
                }
            });
        }
    }

    /**
     * A referral's metadata, as the columns in clear hold it, with its copies in delivery order.
     *
     * @param heldFor the recipients whose copies wait, sealed, for the release of a held referral, in routing order
     */
    public record Summary(OpenReferral referral, List<PartnerId> heldFor) {
        public Summary {
            Objects.requireNonNull(referral, "referral");
            heldFor = List.copyOf(heldFor);
        }
    }

    /**
     * The referrals that match, newest first (by submission time, then id), after the referral {@code after}.
     *
     * @param after the last referral of the previous page
     * @throws GatewayException {@code request_invalid} when {@code limit} is out of range, or {@code after} names no
     *                          referral the administrator may see
     */
    public List<Summary> search(Filter filter, Optional<ReferralId> after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "limit " + limit + " is out of range (expected: 1-" + MAX_PAGE + ")");
        }
        return Transactions.inTransaction(dataSource, "search referrals", c -> {
            Optional<Position> position = Optional.empty();
            if (after.isPresent()) {
                position = Optional.of(position(c, after.get(), filter.types())
                        .orElseThrow(() -> new GatewayException(
                                ErrorCode.REQUEST_INVALID,
                                "after: no referral " + after.get()
                                        + " (expected: the id of the last referral of the previous page,"
                                        + " as 'next' gave it)")));
            }
            List<Summary> page = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(SEARCH)) {
                int i = 0;
                select.setArray(++i, codes(c, filter.types()));
                UUID lowest = filter.id().map(IdPrefix::lowest).orElse(null);
                select.setObject(++i, lowest, Types.OTHER);
                select.setObject(++i, lowest, Types.OTHER);
                select.setObject(++i, filter.id().map(IdPrefix::highest).orElse(null), Types.OTHER);
                String department = filter.department().map(Department::code).orElse(null);
                select.setString(++i, department);
                select.setString(++i, department);
                select.setString(++i, filter.status().orElse(null));
                select.setString(++i, filter.status().orElse(null));
                String partner = filter.partner().map(PartnerId::value).orElse(null);
                for (int n = 0; n < 4; n++) {
                    select.setString(++i, partner);
                }
                Object from = filter.from().map(JdbcReferralStore::timestamp).orElse(null);
                select.setObject(++i, from, Types.TIMESTAMP_WITH_TIMEZONE);
                select.setObject(++i, from, Types.TIMESTAMP_WITH_TIMEZONE);
                Object to = filter.to().map(JdbcReferralStore::timestamp).orElse(null);
                select.setObject(++i, to, Types.TIMESTAMP_WITH_TIMEZONE);
                select.setObject(++i, to, Types.TIMESTAMP_WITH_TIMEZONE);
                Object at = position.map(Position::at).orElse(null);
                select.setObject(++i, at, Types.TIMESTAMP_WITH_TIMEZONE);
                select.setObject(++i, at, Types.TIMESTAMP_WITH_TIMEZONE);
                select.setObject(++i, position.map(Position::id).orElse(null), Types.OTHER);
                select.setInt(++i, limit);
                List<OpenReferral> found;
                try (ResultSet rs = select.executeQuery()) {
                    found = OpenReferral.readAll(c, rs);
                }
                for (OpenReferral referral : found) {
                    page.add(new Summary(referral, heldFor(c, referral)));
                }
            }
            return page;
        });
    }

    /** A referral's timeline, empty when it does not exist or is of a type outside {@code types}. */
    public Optional<ReferralTimeline> timeline(ReferralId id, Set<ReferralType> types) {
        return Transactions.inTransaction(dataSource, "read the timeline of referral " + id, c -> {
            Optional<Summary> summary = summary(c, id, types);
            if (summary.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(ReferralTimeline.read(c, summary.get()));
        });
    }

    private static final String SEARCH = "SELECT " + OpenReferral.COLUMNS + " FROM referral r WHERE r.type = ANY (?)"
            + " AND (?::uuid IS NULL OR r.id BETWEEN ? AND ?)"
            + " AND (?::text IS NULL OR r.department = ?)"
            + " AND (?::text IS NULL OR r.status = ?)"
            + " AND (?::text IS NULL OR r.sender = ?"
            + " OR EXISTS (SELECT 1 FROM delivery d WHERE d.referral_id = r.id AND d.notice IS NULL AND d.recipient = ?)"
            + " OR EXISTS (SELECT 1 FROM held_copy h WHERE h.referral_id = r.id AND h.recipient = ?))"
            + " AND (?::timestamptz IS NULL OR r.submitted_at >= ?)"
            + " AND (?::timestamptz IS NULL OR r.submitted_at < ?)"
            + " AND (?::timestamptz IS NULL OR (r.submitted_at, r.id) < (?, ?))"
            + " ORDER BY r.submitted_at DESC, r.id DESC LIMIT ?";

    /** Where the previous page ended. */
    private record Position(OffsetDateTime at, UUID id) {}

    private static Optional<Position> position(Connection c, ReferralId after, Set<ReferralType> types)
            throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT submitted_at FROM referral WHERE id = ? AND type = ANY (?)")) {
            select.setObject(1, after.value());
            select.setArray(2, codes(c, types));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Position(rs.getObject(1, OffsetDateTime.class), after.value()))
                        : Optional.empty();
            }
        }
    }

    private static Optional<Summary> summary(Connection c, ReferralId id, Set<ReferralType> types) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + OpenReferral.COLUMNS + " FROM referral r WHERE r.id = ? AND r.type = ANY (?)")) {
            select.setObject(1, id.value());
            select.setArray(2, codes(c, types));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OpenReferral referral = OpenReferral.read(c, rs);
                return Optional.of(new Summary(referral, heldFor(c, referral)));
            }
        }
    }

    private static List<PartnerId> heldFor(Connection c, OpenReferral referral) throws SQLException {
        List<PartnerId> recipients = new ArrayList<>();
        if (!referral.status().equals("held")) {
            return recipients;
        }
        try (PreparedStatement select =
                c.prepareStatement("SELECT recipient FROM held_copy WHERE referral_id = ? ORDER BY position")) {
            select.setObject(1, referral.id().value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    recipients.add(PartnerId.of(rs.getString(1)));
                }
            }
        }
        return recipients;
    }

    private static Array codes(Connection c, Set<ReferralType> types) throws SQLException {
        return c.createArrayOf("text", types.stream().map(ReferralType::code).toArray());
    }
}
