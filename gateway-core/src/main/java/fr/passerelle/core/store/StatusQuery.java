package fr.passerelle.core.store;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeclineReason;
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
import java.util.List;
import java.util.Optional;

/** The reads behind {@link JdbcReferralStore#status}, and who may see what. */
final class StatusQuery {
    private static final String SUBMITTED = "referral.submitted";

    private StatusQuery() {}

    static Optional<ReferralStatus> of(Connection c, ReferralId id, PartnerId viewer) throws SQLException {
        ReferralType type;
        PartnerId sender;
        Department department;
        Urgency urgency;
        String status;
        Instant submittedAt;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT type, sender, department, urgency, status," + " submitted_at FROM referral WHERE id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                type = ReferralType.fromCode(rs.getString(1));
                sender = PartnerId.of(rs.getString(2));
                department = Department.of(rs.getString(3));
                urgency = Urgency.fromCode(rs.getString(4));
                status = rs.getString(5);
                submittedAt = JdbcReferralStore.instant(rs, 6);
            }
        }
        List<DeliveryStatus> deliveries = deliveries(c, id);
        List<AuditRecord> history = AuditLog.list(c, Optional.of(id));
        if (!viewer.equals(sender)) {
            deliveries = deliveries.stream()
                    .filter(d -> d.recipient().equals(viewer))
                    .toList();
            if (deliveries.isEmpty()) {
                return Optional.empty();
            }
            // A recipient learns nothing of the other copies, not even through the aggregate status.
            status = AggregateStatus.of(List.of(deliveries.get(0).state()));
            history = history.stream()
                    .filter(e -> e.actor().equals(viewer.value()) || e.action().equals(SUBMITTED))
                    .toList();
        }
        return Optional.of(
                new ReferralStatus(id, type, sender, department, urgency, status, submittedAt, deliveries, history));
    }

    private static List<DeliveryStatus> deliveries(Connection c, ReferralId id) throws SQLException {
        List<DeliveryStatus> deliveries = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT recipient, state, updated_at, decline_reason,"
                + " transport, created_at, delivered_at, attempts, CASE WHEN state = 'pending' THEN next_attempt_at"
                + " END FROM delivery WHERE referral_id = ? AND notice IS NULL ORDER BY id")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    deliveries.add(new DeliveryStatus(
                            PartnerId.of(rs.getString(1)),
                            DeliveryState.fromCode(rs.getString(2)),
                            JdbcReferralStore.instant(rs, 3),
                            Optional.ofNullable(rs.getString(4)).map(DeclineReason::fromCode),
                            rs.getString(5),
                            JdbcReferralStore.instant(rs, 6),
                            Optional.ofNullable(JdbcReferralStore.instant(rs, 7)),
                            rs.getInt(8),
                            Optional.ofNullable(JdbcReferralStore.instant(rs, 9))));
                }
            }
        }
        return deliveries;
    }
}
