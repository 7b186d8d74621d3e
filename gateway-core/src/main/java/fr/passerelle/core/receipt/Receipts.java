package fr.passerelle.core.receipt;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.AggregateStatus;
import fr.passerelle.core.store.JdbcReferralStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Receipts: a recipient's acknowledgement, acceptance or refusal of its copy of a referral, recorded with the
 * referral's new aggregate status and a {@code receipt.recorded} audit entry in one transaction, whether it came
 * through the API or a receipt link. Thread-safe.
 */
public final class Receipts {
    private final DataSource dataSource;
    private final Clock clock;

    public Receipts(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records a recipient's receipt for its copy of a referral, updates the referral's aggregate status, and
     * appends a {@code receipt.recorded} audit entry, in one transaction. Recording the status the copy already
     * has changes nothing and returns the current state.
     *
     * @param reason required for {@code declined}, refused for any other status
     * @throws GatewayException {@code referral_not_found} when the referral does not exist or {@code recipient}
     *                          has no copy of it (the same message either way); {@code receipt_invalid} when the
     *                          copy's state does not allow this receipt or the reason does not fit the status
     */
    public ReceiptOutcome record(
            ReferralId id, PartnerId recipient, ReceiptStatus status, Optional<DeclineReason> reason) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        checkReason(id, status, reason);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inTransaction(
                dataSource,
                "record a receipt for referral " + id,
                c -> recordInside(c, id, recipient, status, reason, now));
    }

    static void checkReason(ReferralId id, ReceiptStatus status, Optional<DeclineReason> reason) {
        if (status == ReceiptStatus.DECLINED && reason.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "receipt 'declined' for referral " + id + " needs a reason (expected one of: "
                            + DeclineReason.codes() + ")");
        }
        if (status != ReceiptStatus.DECLINED && reason.isPresent()) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "receipt '" + status + "' for referral " + id + " takes no reason (only 'declined' does)");
        }
    }

    /** The statements of {@link #record}, inside the caller's transaction (a receipt link's). */
    static ReceiptOutcome recordInside(
            Connection c,
            ReferralId id,
            PartnerId recipient,
            ReceiptStatus status,
            Optional<DeclineReason> reason,
            Instant now)
            throws SQLException {
        if (!lockIfParty(c, id, recipient)) {
            throw id.notFound();
        }
        long deliveryId;
        DeliveryState current;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, state FROM delivery WHERE referral_id = ? AND recipient = ? AND notice IS NULL"
                        + " FOR UPDATE")) {
            select.setObject(1, id.value());
            select.setString(2, recipient.value());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw id.notFound();
                }
                deliveryId = rs.getLong(1);
                current = DeliveryState.fromCode(rs.getString(2));
            }
        }
        if (current == status.resultingState()) {
            return new ReceiptOutcome(id, recipient, current, storedStatus(c, id));
        }
        if (!status.allowedFrom().contains(current)) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "cannot record '" + status + "' for referral " + id + ": your copy is '" + current + "' (expected: "
                            + expected(status) + ")");
        }
        String reasonCode = reason.map(DeclineReason::code).orElse(null);
        try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = ?, decline_reason = ?,"
                + " updated_at = ?, delivered_at = COALESCE(delivered_at, ?) WHERE id = ?")) {
            update.setString(1, status.resultingState().code());
            update.setString(2, reasonCode);
            update.setObject(3, JdbcReferralStore.timestamp(now));
            update.setObject(4, JdbcReferralStore.timestamp(now));
            update.setLong(5, deliveryId);
            update.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO receipt (delivery_id, status, reason, recorded_at) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, deliveryId);
            insert.setString(2, status.code());
            insert.setString(3, reasonCode);
            insert.setObject(4, JdbcReferralStore.timestamp(now));
            insert.executeUpdate();
        }
        String referralStatus = AggregateStatus.refresh(c, id);
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("recipient", recipient.value());
        detail.put("status", status.code());
        reason.ifPresent(r -> detail.put("reason", r.code()));
        AuditLog.append(c, recipient.value(), "receipt.recorded", Optional.of(id), detail);
        return new ReceiptOutcome(id, recipient, status.resultingState(), referralStatus);
    }

    /** Locks the referral's row if {@code recipient} has a copy of it. */
    private static boolean lockIfParty(Connection c, ReferralId id, PartnerId recipient) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT r.id FROM referral r WHERE r.id = ? AND EXISTS"
                + " (SELECT 1 FROM delivery d WHERE d.referral_id = r.id AND d.recipient = ? AND d.notice IS NULL)"
                + " FOR UPDATE OF r")) {
            lock.setObject(1, id.value());
            lock.setString(2, recipient.value());
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String storedStatus(Connection c, ReferralId id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT status FROM referral WHERE id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The states a receipt may be recorded from, in life order: "pending, delivered or received". */
    static String expected(ReceiptStatus status) {
        List<String> codes =
                status.allowedFrom().stream().sorted().map(DeliveryState::code).toList();
        if (codes.size() == 1) {
            return codes.get(0);
        }
        return String.join(", ", codes.subList(0, codes.size() - 1)) + " or " + codes.get(codes.size() - 1);
    }
}
