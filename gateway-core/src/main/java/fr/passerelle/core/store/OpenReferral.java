package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a notice about a referral may say: its routing metadata and the state of each recipient's copy, never its
 * content.
 *
 * @param copies each recipient's copy, in delivery order
 */
public record OpenReferral(
        ReferralId id,
        ReferralType type,
        Department department,
        Urgency urgency,
        PartnerId sender,
        Instant submittedAt,
        String status,
        List<Copy> copies) {

    public OpenReferral {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(status, "status");
        copies = List.copyOf(copies);
    }

    /** One recipient's copy and its state. */
    public record Copy(PartnerId recipient, DeliveryState state) {
        public Copy {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(state, "state");
        }

        /** Whether the recipient has the referral in hand: its copy reached it and is not over. */
        public boolean held() {
            return state == DeliveryState.DELIVERED
                    || state == DeliveryState.RECEIVED
                    || state == DeliveryState.ACCEPTED;
        }
    }

    public static final String COLUMNS = "r.id, r.type, r.department, r.urgency, r.sender, r.submitted_at, r.status";

    /** Reads the referral whose {@link #COLUMNS} start at column 1, and its copies. */
    public static OpenReferral read(Connection c, ResultSet rs) throws SQLException {
        ReferralId id = new ReferralId(rs.getObject(1, UUID.class));
        return columns(rs, id, copies(c, List.of(id)).getOrDefault(id, List.of()));
    }

    /**
     * Reads every referral left in {@code rs}, whose {@link #COLUMNS} start at column 1, and their copies in one
     * more query, whatever their number: a page of a search costs two queries, not one per referral.
     */
    public static List<OpenReferral> readAll(Connection c, ResultSet rs) throws SQLException {
        List<ReferralId> ids = new ArrayList<>();
        List<OpenReferral> bare = new ArrayList<>();
        while (rs.next()) {
            ReferralId id = new ReferralId(rs.getObject(1, UUID.class));
            ids.add(id);
            bare.add(columns(rs, id, List.of()));
        }
        if (ids.isEmpty()) {
            return bare;
        }
        Map<ReferralId, List<Copy>> copies = copies(c, ids);
        List<OpenReferral> referrals = new ArrayList<>(bare.size());
        for (OpenReferral r : bare) {
            referrals.add(new OpenReferral(
                    r.id(),
                    r.type(),
                    r.department(),
                    r.urgency(),
                    r.sender(),
                    r.submittedAt(),
                    r.status(),
                    copies.getOrDefault(r.id(), List.of())));
        }
        return referrals;
    }

    private static OpenReferral columns(ResultSet rs, ReferralId id, List<Copy> copies) throws SQLException {
        return new OpenReferral(
                id,
                ReferralType.fromCode(rs.getString(2)),
                Department.of(rs.getString(3)),
                Urgency.fromCode(rs.getString(4)),
                PartnerId.of(rs.getString(5)),
                JdbcReferralStore.instant(rs, 6),
                rs.getString(7),
                copies);
    }

    /** The referral as it stands, its row locked until the transaction ends. */
    public static Optional<OpenReferral> lock(Connection c, ReferralId id) throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT " + COLUMNS + " FROM referral r WHERE r.id = ?" + " FOR UPDATE")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(c, rs)) : Optional.empty();
            }
        }
    }

    /** The copies of each referral of {@code ids}, each referral's in delivery order. */
    private static Map<ReferralId, List<Copy>> copies(Connection c, List<ReferralId> ids) throws SQLException {
        Map<ReferralId, List<Copy>> copies = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT referral_id, recipient, state FROM delivery"
                + " WHERE referral_id = ANY(?) AND notice IS NULL ORDER BY id")) {
            select.setArray(
                    1,
                    c.createArrayOf("uuid", ids.stream().map(ReferralId::value).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    copies.computeIfAbsent(new ReferralId(rs.getObject(1, UUID.class)), id -> new ArrayList<>())
                            .add(new Copy(PartnerId.of(rs.getString(2)), DeliveryState.fromCode(rs.getString(3))));
                }
            }
        }
        return copies;
    }
}
