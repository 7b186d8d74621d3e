package fr.passerelle.core.store;

import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReferralId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A referral's status, derived from the states of its deliveries. */
public final class AggregateStatus {
    /** Every status a referral may have, in the order of its life (the column's check constraint). */
    public static final List<String> CODES = List.of(
            "held",
            "routed",
            "delivered",
            "received",
            "accepted",
            "declined",
            "completed",
            "failed",
            "expired",
            "cancelled",
            "withdrawn");
    /** Ends that an administrator or a deadline decides, which no later change of a copy undoes. */
    private static final List<String> STICKY = List.of("cancelled", "expired", "withdrawn");

    private AggregateStatus() {}

    /**
     * {@code completed} if any copy is completed; else {@code cancelled} if an administrator cancelled it; else
     * {@code accepted} if any is accepted; else {@code declined}
     * if all are declined; else {@code expired} if its deadline ended the others; else {@code received} if any is received or declined; else {@code delivered} if any is
     * delivered; else {@code failed} if every copy failed (dead letters); else {@code routed}.
     */
    public static String of(Collection<DeliveryState> states) {
        if (states.contains(DeliveryState.COMPLETED)) {
            return "completed";
        }
        if (states.contains(DeliveryState.CANCELLED)) {
            return "cancelled";
        }
        if (states.contains(DeliveryState.ACCEPTED)) {
            return "accepted";
        }
        if (!states.isEmpty() && states.stream().allMatch(s -> s == DeliveryState.DECLINED)) {
            return "declined";
        }
        if (states.contains(DeliveryState.EXPIRED)) {
            return "expired";
        }
        if (states.contains(DeliveryState.RECEIVED) || states.contains(DeliveryState.DECLINED)) {
            return "received";
        }
        if (states.contains(DeliveryState.DELIVERED)) {
            return "delivered";
        }
        if (!states.isEmpty() && states.stream().allMatch(s -> s == DeliveryState.FAILED)) {
            return "failed";
        }
        return "routed";
    }

    /**
     * Recomputes and stores the status of a referral from its deliveries. A cancelled, expired or withdrawn referral
     * stays so: an administrator, a deadline or the person decided it, and a notice delivered afterwards changes nothing. The caller
     * holds the referral's row lock, so that two transactions changing two copies of one referral cannot each
     * compute from a stale view.
     *
     * @return the status now stored
     */
    public static String refresh(Connection c, ReferralId id) throws SQLException {
        List<DeliveryState> states = new ArrayList<>();
        String stored = null;
        try (PreparedStatement select = c.prepareStatement("SELECT r.status, d.state FROM referral r LEFT JOIN"
                + " delivery d ON d.referral_id = r.id AND d.notice IS NULL WHERE r.id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stored = rs.getString(1);
                    if (rs.getString(2) != null) {
                        states.add(DeliveryState.fromCode(rs.getString(2)));
                    }
                }
            }
        }
        if (stored != null && STICKY.contains(stored)) {
            return stored;
        }
        String status = of(states);
        if (!status.equals(stored)) {
            try (PreparedStatement update = c.prepareStatement("UPDATE referral SET status = ? WHERE id = ?")) {
                update.setString(1, status);
                update.setObject(2, id.value());
                update.executeUpdate();
            }
        }
        return status;
    }
}
