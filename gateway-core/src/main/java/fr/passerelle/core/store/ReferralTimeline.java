package fr.passerelle.core.store;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Notice;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an administrator may know of one referral ({@link ReferralSearch#timeline}), metadata only: what the
 * columns in clear hold, its audit entries (whose details are identifiers and codes), its copies with their last
 * error (an HTTP status, an SMTP reply code or a network error's kind, never a payload), the notices about it and
 * the receipts of its recipients. Never the document, a payload or a hold's comment.
 *
 * @param audit      its audit entries, in log order
 * @param deliveries its copies and the notices about it, in delivery order
 * @param receipts   its recipients' receipts, in the order they were recorded
 */
public record ReferralTimeline(
        ReferralSearch.Summary referral, List<AuditRecord> audit, List<Delivery> deliveries, List<Receipt> receipts) {

    public ReferralTimeline {
        Objects.requireNonNull(referral, "referral");
        audit = List.copyOf(audit);
        deliveries = List.copyOf(deliveries);
        receipts = List.copyOf(receipts);
    }

    /** Its copies, one per recipient. */
    public List<Delivery> copies() {
        return deliveries.stream().filter(d -> d.notice().isEmpty()).toList();
    }

    /** The notices about it. */
    public List<Delivery> notices() {
        return deliveries.stream().filter(d -> d.notice().isPresent()).toList();
    }

    /**
     * A copy of the referral for one recipient, or a notice about it.
     *
     * @param notice        the notice's kind, when it is a notice rather than the referral's copy
     * @param nextAttemptAt when a worker tries again, for a pending pushed copy
     * @param lastError     what the last failed attempt said, as the transport described it
     * @param declineReason why the recipient declined, for a declined copy
     */
    public record Delivery(
            long id,
            PartnerId recipient,
            String transport,
            DeliveryState state,
            int attempts,
            Optional<Instant> nextAttemptAt,
            Optional<String> lastError,
            Optional<DeclineReason> declineReason,
            Instant createdAt,
            Optional<Instant> deliveredAt,
            Instant updatedAt,
            Optional<Notice> notice) {}

    /** What a recipient said of its copy. */
    public record Receipt(
            long deliveryId, PartnerId recipient, String status, Optional<DeclineReason> reason, Instant recordedAt) {}

    static ReferralTimeline read(Connection c, ReferralSearch.Summary referral) throws SQLException {
        List<Delivery> deliveries = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT id, recipient, transport, state, attempts,"
                + " CASE WHEN state = 'pending' THEN next_attempt_at END, last_error, decline_reason, created_at,"
                + " delivered_at, updated_at, notice FROM delivery WHERE referral_id = ? ORDER BY id")) {
            select.setObject(1, referral.referral().id().value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    deliveries.add(new Delivery(
                            rs.getLong(1),
                            PartnerId.of(rs.getString(2)),
                            rs.getString(3),
                            DeliveryState.fromCode(rs.getString(4)),
                            rs.getInt(5),
                            Optional.ofNullable(JdbcReferralStore.instant(rs, 6)),
                            Optional.ofNullable(rs.getString(7)),
                            Optional.ofNullable(rs.getString(8)).map(DeclineReason::fromCode),
                            JdbcReferralStore.instant(rs, 9),
                            Optional.ofNullable(JdbcReferralStore.instant(rs, 10)),
                            JdbcReferralStore.instant(rs, 11),
                            Optional.ofNullable(rs.getString(12)).map(Notice::fromCode)));
                }
            }
        }
        List<Receipt> receipts = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT r.delivery_id, d.recipient, r.status, r.reason,"
                + " r.recorded_at FROM receipt r JOIN delivery d ON d.id = r.delivery_id WHERE d.referral_id = ?"
                + " ORDER BY r.id")) {
            select.setObject(1, referral.referral().id().value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    receipts.add(new Receipt(
                            rs.getLong(1),
                            PartnerId.of(rs.getString(2)),
                            rs.getString(3),
                            Optional.ofNullable(rs.getString(4)).map(DeclineReason::fromCode),
                            JdbcReferralStore.instant(rs, 5)));
                }
            }
        }
        return new ReferralTimeline(
                referral, AuditLog.list(c, Optional.of(referral.referral().id())), deliveries, receipts);
    }
}
