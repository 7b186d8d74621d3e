package fr.passerelle.core.store;

import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Notice;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** The statements behind {@link JdbcReferralStore#inbox}, run inside its transaction. */
final class Inbox {
    private static final String SELECT = "SELECT d.id, d.referral_id, r.type, r.sender, r.department, r.urgency,"
            + " r.submitted_at, d.state, d.media_type, d.payload, d.key_id, d.wrapped_key, d.recipient, d.notice"
            + " FROM delivery d JOIN referral r ON r.id = d.referral_id";

    private Inbox() {}

    /**
     * One page of the inbox, in two parts. First the copies already taken (any state but {@code pending}) with a
     * cursor above {@code after}, by cursor: a client that resumes from a cursor it saved gets back, in order,
     * what it took after it. Then, when the page has room, the copies not yet taken, whatever their cursor, by
     * urgency (immediate, urgent, routine) then cursor: an immediate referral stored behind a flood of routine
     * ones is in the very next page.
     *
     * <p>The second part only starts once the first is exhausted, so the page's {@code next} (its greatest cursor)
     * jumps over no taken copy still to list; a pending copy is listed whatever {@code next} is, and once listed it
     * is taken, so it never comes again in a pending part, and its cursor is at most {@code next}, so never again
     * in a taken part. Paging on from {@code next} thus lists every copy once.
     */
    static List<InboxItem> page(Connection c, PayloadCipher cipher, PartnerId recipient, long after, int limit)
            throws SQLException {
        List<InboxItem> items = select(
                c,
                cipher,
                SELECT + " WHERE d.recipient = ? AND d.id > ?"
                        + " AND d.state <> 'pending' AND d.payload IS NOT NULL ORDER BY d.id LIMIT ?",
                recipient,
                after,
                limit);
        if (items.size() < limit) {
            items.addAll(select(
                    c,
                    cipher,
                    SELECT + " WHERE d.recipient = ? AND d.id > ?"
                            + " AND d.state = 'pending' AND d.payload IS NOT NULL ORDER BY CASE r.urgency"
                            + " WHEN 'immediate' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, d.id LIMIT ?",
                    recipient,
                    0,
                    limit - items.size()));
        }
        return items;
    }

    /** The copy with cursor {@code cursor} in the inbox of {@code recipient}, taken or not. */
    static Optional<InboxItem> one(Connection c, PayloadCipher cipher, PartnerId recipient, long cursor)
            throws SQLException {
        return select(
                        c,
                        cipher,
                        SELECT + " WHERE d.recipient = ? AND d.id = ? AND d.payload IS NOT NULL LIMIT ?",
                        recipient,
                        cursor,
                        1)
                .stream()
                .findFirst();
    }

    private static List<InboxItem> select(
            Connection c, PayloadCipher cipher, String sql, PartnerId recipient, long id, int limit)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, recipient.value());
            select.setLong(2, id);
            select.setInt(3, limit);
            List<InboxItem> items = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    items.add(item(rs, cipher));
                }
            }
            return items;
        }
    }

    /**
     * Moves the given copies from pending to delivered, skipping any that another transaction moved first.
     *
     * @return the copies this call moved, by cursor, in cursor order
     */
    static Map<Long, ReferralId> markDelivered(Connection c, List<InboxItem> pending, Instant now) throws SQLException {
        Map<Long, ReferralId> moved = new TreeMap<>();
        try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = 'delivered',"
                + " delivered_at = COALESCE(delivered_at, ?), updated_at = ? WHERE id = ANY (?) AND state = 'pending'"
                + " RETURNING id, referral_id")) {
            update.setObject(1, JdbcReferralStore.timestamp(now));
            update.setObject(2, JdbcReferralStore.timestamp(now));
            update.setArray(
                    3,
                    c.createArrayOf(
                            "bigint", pending.stream().map(InboxItem::cursor).toArray()));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    moved.put(rs.getLong(1), new ReferralId(rs.getObject(2, UUID.class)));
                }
            }
        }
        return moved;
    }

    /** The same items with the states their copies have now. */
    static List<InboxItem> withCurrentStates(Connection c, List<InboxItem> items) throws SQLException {
        Map<Long, DeliveryState> states = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT id, state FROM delivery WHERE id = ANY (?)")) {
            select.setArray(
                    1,
                    c.createArrayOf(
                            "bigint", items.stream().map(InboxItem::cursor).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getLong(1), DeliveryState.fromCode(rs.getString(2)));
                }
            }
        }
        return items.stream()
                .map(i -> new InboxItem(
                        i.cursor(),
                        i.referralId(),
                        i.type(),
                        i.sender(),
                        i.department(),
                        i.urgency(),
                        i.submittedAt(),
                        states.getOrDefault(i.cursor(), i.state()),
                        i.mediaType(),
                        i.payload(),
                        i.notice()))
                .toList();
    }

    private static InboxItem item(ResultSet rs, PayloadCipher cipher) throws SQLException {
        ReferralId id = new ReferralId(rs.getObject(2, UUID.class));
        PartnerId recipient = PartnerId.of(rs.getString(13));
        Optional<Notice> notice = Optional.ofNullable(rs.getString(14)).map(Notice::fromCode);
        byte[] payload = cipher.decrypt(
                rs.getString(11),
                rs.getBytes(12),
                rs.getBytes(10),
                JdbcReferralStore.payloadAad(id, recipient, notice),
                "payload of referral " + id + " for " + recipient);
        return new InboxItem(
                rs.getLong(1),
                id,
                ReferralType.fromCode(rs.getString(3)),
                PartnerId.of(rs.getString(4)),
                Department.of(rs.getString(5)),
                Urgency.fromCode(rs.getString(6)),
                JdbcReferralStore.instant(rs, 7),
                DeliveryState.fromCode(rs.getString(8)),
                rs.getString(9),
                payload,
                notice);
    }
}
