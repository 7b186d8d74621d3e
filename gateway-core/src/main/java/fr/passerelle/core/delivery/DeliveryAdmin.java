package fr.passerelle.core.delivery;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.AggregateStatus;
import fr.passerelle.core.store.Copies;
import fr.passerelle.core.store.Holds;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewNotice;
import fr.passerelle.core.store.NoticeRows;
import fr.passerelle.core.store.OpenReferral;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What an administrator does to deliveries: list them by state and recipient, replay dead letters, cancel a
 * referral. Every change is one transaction with its audit entry, whose actor is the administrator
 * ({@code admin:<id>}). Thread-safe.
 */
public final class DeliveryAdmin {
    /** Largest page of a listing. */
    public static final int MAX_PAGE = 200;
    /** The copies that a cancellation stops: nothing final (completed, declined, failed, expired) changes. */
    private static final List<String> CANCELLABLE = List.of("pending", "delivered", "received", "accepted");
    /** The statuses of a referral that {@link #cancel} refuses: there is nothing left to cancel. */
    public static final List<String> UNCANCELLABLE = List.of("completed", "cancelled", "expired", "withdrawn");

    private final DataSource dataSource;
    private final Clock clock;
    private final PayloadCipher cipher;

    /** @param cipher encrypts the notices a cancellation stores */
    public DeliveryAdmin(DataSource dataSource, Clock clock, PayloadCipher cipher) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /**
     * One delivery as an administrator sees it: routing metadata, its state and its last error, never its payload;
     * {@code notice} when it is a notice about the referral rather than its copy.
     */
    public record Row(
            long id,
            ReferralId referralId,
            PartnerId recipient,
            ReferralType type,
            Urgency urgency,
            DeliveryState state,
            String transport,
            int attempts,
            Optional<Instant> nextAttemptAt,
            Optional<String> lastError,
            Instant createdAt,
            Optional<Instant> deliveredAt,
            Instant updatedAt,
            Optional<Notice> notice) {}

    /** Every referral type: what an administrator of every domain sees. */
    private static final Set<ReferralType> ALL_TYPES = EnumSet.allOf(ReferralType.class);

    /**
     * Deliveries after {@code after} (an id), in id order, filtered by state and recipient when given.
     *
     * @throws GatewayException {@code request_invalid} when {@code limit} is out of range
     */
    public List<Row> list(Optional<DeliveryState> state, Optional<PartnerId> recipient, long after, int limit) {
        return list(state, recipient, ALL_TYPES, after, limit);
    }

    /**
     * As {@link #list(Optional, Optional, long, int)}, keeping only the deliveries (copies and notices) of referrals
     * of {@code types}: what an administrator limited to some data domains may see.
     */
    public List<Row> list(
            Optional<DeliveryState> state,
            Optional<PartnerId> recipient,
            Set<ReferralType> types,
            long after,
            int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "limit " + limit + " is out of range (expected: 1-" + MAX_PAGE + ")");
        }
        return Transactions.inTransaction(dataSource, "list deliveries", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT d.id, d.referral_id, d.recipient, r.type,"
                    + " r.urgency, d.state, d.transport, d.attempts, d.next_attempt_at, d.last_error, d.created_at,"
                    + " d.delivered_at, d.updated_at, d.notice FROM delivery d JOIN referral r ON r.id = d.referral_id"
                    + " WHERE d.id > ? AND (?::text IS NULL OR d.state = ?) AND (?::text IS NULL OR d.recipient = ?)"
                    + " AND r.type = ANY (?) ORDER BY d.id LIMIT ?")) {
                select.setLong(1, after);
                select.setString(2, state.map(DeliveryState::code).orElse(null));
                select.setString(3, state.map(DeliveryState::code).orElse(null));
                select.setString(4, recipient.map(PartnerId::value).orElse(null));
                select.setString(5, recipient.map(PartnerId::value).orElse(null));
                select.setArray(6, codes(c, types));
                select.setInt(7, limit);
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(
                                rs.getLong(1),
                                new ReferralId(rs.getObject(2, UUID.class)),
                                PartnerId.of(rs.getString(3)),
                                ReferralType.fromCode(rs.getString(4)),
                                Urgency.fromCode(rs.getString(5)),
                                DeliveryState.fromCode(rs.getString(6)),
                                rs.getString(7),
                                rs.getInt(8),
                                Optional.ofNullable(JdbcReferralStore.instant(rs, 9)),
                                Optional.ofNullable(rs.getString(10)),
                                JdbcReferralStore.instant(rs, 11),
                                Optional.ofNullable(JdbcReferralStore.instant(rs, 12)),
                                JdbcReferralStore.instant(rs, 13),
                                Optional.ofNullable(rs.getString(14)).map(Notice::fromCode)));
                    }
                }
                return rows;
            }
        });
    }

    /**
     * Puts dead letters back in the outbox, due at once with a new retry budget: one delivery, or every dead letter
     * of a recipient. Each gets a {@code delivery.replayed} audit entry.
     *
     * @param deliveryId one delivery, or empty for all of {@code recipient}'s dead letters
     * @return how many were replayed
     * @throws GatewayException {@code not_found} when the delivery does not exist or is not a dead letter of
     *                          {@code recipient}
     */
    public int replay(PartnerId recipient, Optional<Long> deliveryId, String actor) {
        return replay(recipient, deliveryId, ALL_TYPES, actor);
    }

    /**
     * As {@link #replay(PartnerId, Optional, String)}, touching only the dead letters of referrals of {@code types}
     * (a partner may receive both data domains): one of another type is answered as one that does not exist.
     */
    public int replay(PartnerId recipient, Optional<Long> deliveryId, Set<ReferralType> types, String actor) {
        Instant now = now();
        return Transactions.inTransaction(dataSource, "replay dead letters of " + recipient, c -> {
            Map<Long, ReferralId> replayed = new LinkedHashMap<>();
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = 'pending',"
                    + " attempt_base = attempts, next_attempt_at = ?, lease_until = NULL, retry_since = ?, updated_at = ? WHERE recipient = ?"
                    + " AND state = 'failed' AND transport <> 'inbox' AND (?::bigint IS NULL OR id = ?)"
                    + " AND referral_id IN (SELECT id FROM referral WHERE type = ANY (?))"
                    + " RETURNING id, referral_id")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setObject(2, JdbcReferralStore.timestamp(now));
                update.setObject(3, JdbcReferralStore.timestamp(now));
                update.setString(4, recipient.value());
                update.setObject(5, deliveryId.orElse(null), java.sql.Types.BIGINT);
                update.setObject(6, deliveryId.orElse(null), java.sql.Types.BIGINT);
                update.setArray(7, codes(c, types));
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        replayed.put(rs.getLong(1), new ReferralId(rs.getObject(2, UUID.class)));
                    }
                }
            }
            if (deliveryId.isPresent() && replayed.isEmpty()) {
                throw new GatewayException(
                        ErrorCode.NOT_FOUND,
                        "no dead letter " + deliveryId.get() + " for "
                                + recipient + " (dead letters are deliveries in state failed: list them with"
                                + " GET /admin/v1/deliveries?state=failed&partner=" + recipient + ")");
            }
            for (Map.Entry<Long, ReferralId> entry : replayed.entrySet()) {
                AggregateStatus.refresh(c, entry.getValue());
                AuditLog.append(
                        c,
                        actor,
                        "delivery.replayed",
                        Optional.of(entry.getValue()),
                        Map.of("recipient", recipient.value(), "delivery", Long.toString(entry.getKey())));
            }
            return replayed.size();
        });
    }

    private static Array codes(Connection c, Set<ReferralType> types) throws SQLException {
        return c.createArrayOf("text", types.stream().map(ReferralType::code).toArray());
    }

    /** What a cancellation changed. */
    public record Cancelled(ReferralId id, int stopped, int alreadyFinal) {}

    /** As {@link #cancel(ReferralId, String, Function)}, telling nobody but through inboxes and status. */
    public Cancelled cancel(ReferralId id, String actor) {
        return cancel(id, actor, referral -> List.of());
    }

    /**
     * Cancels a referral: its copies not yet final become {@code cancelled} (pending ones are never sent; a
     * recipient that has its copy sees it cancelled in its inbox and status, and can no longer answer it), the
     * referral's status becomes {@code cancelled}, the notices are stored, with a {@code referral.cancelled} audit
     * entry.
     *
     * @param notices the notices to send, given the referral as it stood before the cancellation
     * @throws GatewayException {@code referral_not_found} when there is no such referral; {@code state_conflict}
     *                          when it is already completed, cancelled, expired or withdrawn
     */
    public Cancelled cancel(ReferralId id, String actor, Function<OpenReferral, List<NewNotice>> notices) {
        return cancel(id, ALL_TYPES, actor, notices);
    }

    /**
     * As {@link #cancel(ReferralId, String, Function)} for an actor that may see the referrals of {@code visible}
     * only: a referral of another type is answered as one that does not exist ({@code referral_not_found}).
     */
    public Cancelled cancel(
            ReferralId id, Set<ReferralType> visible, String actor, Function<OpenReferral, List<NewNotice>> notices) {
        Instant now = now();
        return Transactions.inTransaction(dataSource, "cancel referral " + id, c -> {
            OpenReferral referral = OpenReferral.lock(c, id)
                    .filter(r -> visible.contains(r.type()))
                    .orElseThrow(id::notFound);
            if (UNCANCELLABLE.contains(referral.status())) {
                throw new GatewayException(
                        ErrorCode.STATE_CONFLICT,
                        "referral " + id + " is " + referral.status() + ": there is nothing left to cancel");
            }
            int stopped = Copies.stop(c, id, CANCELLABLE, now);
            // A held referral's copies never left the gateway: nobody is to be told, and nothing is kept.
            int held = Holds.dropHeldCopies(c, id);
            try (PreparedStatement update =
                    c.prepareStatement("UPDATE referral SET status = 'cancelled' WHERE id = ?")) {
                update.setObject(1, id.value());
                update.executeUpdate();
            }
            List<NewNotice> told = notices.apply(referral);
            NoticeRows.insert(c, cipher, id, referral.type().domain(), told, now);
            int total = referral.copies().size();
            Map<String, String> detail = new java.util.LinkedHashMap<>(Map.of(
                    "copiesStopped",
                    Integer.toString(stopped),
                    "copiesAlreadyFinal",
                    Integer.toString(total - stopped),
                    "notified",
                    NoticeRows.recipients(told)));
            if (held > 0) {
                detail.put("heldCopiesDropped", Integer.toString(held));
            }
            AuditLog.append(c, actor, "referral.cancelled", Optional.of(id), detail);
            return new Cancelled(id, stopped, total - stopped);
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
