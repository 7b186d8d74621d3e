package fr.passerelle.core.store;

import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReferralId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
        return refreshAll(c, List.of(id)).getOrDefault(id, "routed");
    }

    /**
     * {@link #refresh} for several referrals in two statements whatever their number, for a transaction that
     * changed copies of many (an inbox page): one read of their deliveries, one write of the statuses that
     * changed. The caller holds the row locks of all of them.
     *
     * @return the status now stored, by referral; a referral that does not exist is absent
     */
    public static Map<ReferralId, String> refreshAll(Connection c, Collection<ReferralId> ids) throws SQLException {
        Map<ReferralId, String> stored = new LinkedHashMap<>();
        Map<ReferralId, List<DeliveryState>> states = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.status, d.state FROM referral r LEFT JOIN"
                + " delivery d ON d.referral_id = r.id AND d.notice IS NULL WHERE r.id = ANY (?)")) {
            select.setArray(
                    1,
                    c.createArrayOf("uuid", ids.stream().map(ReferralId::value).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ReferralId id = new ReferralId(rs.getObject(1, UUID.class));
                    stored.put(id, rs.getString(2));
                    List<DeliveryState> mine = states.computeIfAbsent(id, k -> new ArrayList<>());
                    if (rs.getString(3) != null) {
                        mine.add(DeliveryState.fromCode(rs.getString(3)));
                    }
                }
            }
        }
        Map<ReferralId, String> now = new LinkedHashMap<>();
        List<UUID> changedIds = new ArrayList<>();
        List<String> changedStatuses = new ArrayList<>();
        for (Map.Entry<ReferralId, String> entry : stored.entrySet()) {
            String before = entry.getValue();
            String status = before != null && STICKY.contains(before) ? before : of(states.get(entry.getKey()));
            now.put(entry.getKey(), status);
            if (!status.equals(before)) {
                changedIds.add(entry.getKey().value());
                changedStatuses.add(status);
            }
        }
        if (!changedIds.isEmpty()) {
            try (PreparedStatement update = c.prepareStatement("UPDATE referral r SET status = u.status"
                    + " FROM unnest(?::uuid[], ?::text[]) AS u(id, status) WHERE r.id = u.id")) {
                update.setArray(1, c.createArrayOf("uuid", changedIds.toArray()));
                update.setArray(2, c.createArrayOf("text", changedStatuses.toArray()));
                update.executeUpdate();
            }
        }
        return now;
    }
}
