package fr.passerelle.core.delivery;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.crypto.Sha256;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.store.AggregateStatus;
import fr.passerelle.core.store.JdbcReferralStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The deliveries that the gateway pushes (HTTPS, secure mail), as a queue in PostgreSQL: workers claim due
 * deliveries with {@code FOR UPDATE SKIP LOCKED} and a lease, so that any number of gateway instances share one
 * database without coordinating, and a claim held by an instance that died is taken over once its lease ends.
 * Each outcome commits with its audit entry. A claim is current until the delivery is claimed again (its attempt
 * number is the fence): a worker that outlived its lease (a pause, a partner slower than the lease) may still
 * record that the partner took the delivery, but its failure or release no longer changes anything.
 *
 * <p>Thread-safe; every method is one transaction.
 */
public final class Outbox {
    private static final String DUE = "SELECT d.id FROM delivery d JOIN referral r ON r.id = d.referral_id"
            + " WHERE d.state = 'pending' AND d.transport <> 'inbox' AND d.next_attempt_at <= ?"
            + " AND (d.lease_until IS NULL OR d.lease_until <= ?) AND d.recipient <> ALL (?)"
            // An immediate shelter request overtakes routine traffic.
            + " ORDER BY CASE r.urgency WHEN 'immediate' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END,"
            + " d.next_attempt_at, d.id LIMIT ? FOR UPDATE OF d SKIP LOCKED";

    private final DataSource dataSource;
    private final PayloadCipher cipher;
    private final Clock clock;

    public Outbox(DataSource dataSource, PayloadCipher cipher, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Claims up to {@code limit} due deliveries, most urgent first, for {@code lease}: each attempt is counted
     * when it is claimed, so that a delivery whose attempts keep crashing the instance still ends.
     */
    public List<Claim> claim(int limit, Duration lease) {
        return claim(limit, lease, Set.of());
    }

    /**
     * As {@link #claim(int, Duration)}, leaving out the deliveries to the {@code paused} partners (their circuit
     * breaker is open on this instance): they stay due for the other instances and for later.
     */
    public List<Claim> claim(int limit, Duration lease, Set<PartnerId> paused) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " (expected: 1 or more)");
        }
        Objects.requireNonNull(lease, "lease");
        String[] skipped = paused.stream().map(PartnerId::value).sorted().toArray(String[]::new);
        Instant now = now();
        return Transactions.inTransaction(dataSource, "claim due deliveries", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement due = c.prepareStatement(DUE)) {
                due.setObject(1, JdbcReferralStore.timestamp(now));
                due.setObject(2, JdbcReferralStore.timestamp(now));
                due.setArray(3, c.createArrayOf("text", skipped));
                due.setInt(4, limit);
                try (ResultSet rs = due.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            List<Claim> claims = new ArrayList<>();
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery d SET lease_until = ?,"
                    + " attempts = d.attempts + 1, updated_at = ? FROM referral r WHERE r.id = d.referral_id"
                    + " AND d.id = ANY (?) RETURNING d.id, d.referral_id, d.recipient, r.type, r.urgency,"
                    + " d.transport, d.media_type, d.payload, d.key_id, d.wrapped_key, d.attempts,"
                    + " COALESCE(d.retry_since, d.created_at), d.attempt_base, d.notice")) {
                update.setObject(1, JdbcReferralStore.timestamp(now.plus(lease)));
                update.setObject(2, JdbcReferralStore.timestamp(now));
                update.setArray(3, c.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        ReferralId referral = new ReferralId(rs.getObject(2, UUID.class));
                        PartnerId recipient = PartnerId.of(rs.getString(3));
                        Optional<Notice> notice =
                                Optional.ofNullable(rs.getString(14)).map(Notice::fromCode);
                        byte[] payload = cipher.decrypt(
                                rs.getString(9),
                                rs.getBytes(10),
                                rs.getBytes(8),
                                JdbcReferralStore.payloadAad(referral, recipient, notice),
                                "payload of referral " + referral + " for " + recipient);
                        claims.add(new Claim(
                                rs.getLong(1),
                                referral,
                                recipient,
                                ReferralType.fromCode(rs.getString(4)),
                                Urgency.fromCode(rs.getString(5)),
                                rs.getString(6),
                                rs.getString(7),
                                payload,
                                rs.getInt(11) - rs.getInt(13),
                                JdbcReferralStore.instant(rs, 12),
                                rs.getInt(11),
                                notice));
                    }
                }
            }
            // Keep the queue's order: the UPDATE returns rows in no particular order.
            Map<Long, Claim> byId = new LinkedHashMap<>();
            claims.forEach(claim -> byId.put(claim.deliveryId(), claim));
            return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
        });
    }

    /**
     * Records that the partner took the delivery: {@code delivered}, with a {@code delivery.pushed} audit entry
     * holding the hash of what was handed over. A copy that left {@code pending} meanwhile (the partner also
     * pulled it, or sent a receipt) keeps its state.
     */
    public void delivered(Claim claim, DeliveryOutcome outcome) {
        Instant now = now();
        Transactions.inTransaction(dataSource, "record delivery " + claim.deliveryId(), c -> {
            lockReferral(c, claim.referralId());
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = CASE WHEN state ="
                    + " 'pending' THEN 'delivered' ELSE state END, delivered_at = COALESCE(delivered_at, ?),"
                    + " lease_until = NULL, last_error = NULL, updated_at = ? WHERE id = ?")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setObject(2, JdbcReferralStore.timestamp(now));
                update.setLong(3, claim.deliveryId());
                update.executeUpdate();
            }
            AggregateStatus.refresh(c, claim.referralId());
            AuditLog.append(
                    c,
                    JdbcReferralStore.GATEWAY_ACTOR,
                    "delivery.pushed",
                    Optional.of(claim.referralId()),
                    detail(claim, outcome, Map.of("envelopeSha256", Sha256.hex(claim.payload()))));
            return null;
        });
    }

    /**
     * Records a failed attempt: tried again at {@code retryAt}, or, when empty, given up: the copy becomes
     * {@code failed} (a dead letter, its last error kept) with a {@code delivery.failed} audit entry.
     *
     * @return false, and nothing recorded, when the claim is no longer current: another worker claimed the
     *         delivery after this claim's lease ended, or the copy left {@code pending} (delivered meanwhile)
     */
    public boolean failed(Claim claim, DeliveryOutcome outcome, Optional<Instant> retryAt) {
        Instant now = now();
        return Transactions.inTransaction(dataSource, "record a failed delivery " + claim.deliveryId(), c -> {
            lockReferral(c, claim.referralId());
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = CASE WHEN ? THEN"
                    + " 'failed' ELSE state END, next_attempt_at = ?, lease_until = NULL, last_error = ?,"
                    + " updated_at = ? WHERE id = ? AND state = 'pending' AND attempts = ?")) {
                update.setBoolean(1, retryAt.isEmpty());
                update.setObject(2, retryAt.map(JdbcReferralStore::timestamp).orElse(null));
                update.setString(3, outcome.detail());
                update.setObject(4, JdbcReferralStore.timestamp(now));
                update.setLong(5, claim.deliveryId());
                update.setInt(6, claim.fence());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            if (retryAt.isEmpty()) {
                AggregateStatus.refresh(c, claim.referralId());
            }
            AuditLog.append(
                    c,
                    JdbcReferralStore.GATEWAY_ACTOR,
                    retryAt.isPresent() ? "delivery.retry" : "delivery.failed",
                    Optional.of(claim.referralId()),
                    detail(
                            claim,
                            outcome,
                            retryAt.map(at -> Map.of("retryAt", at.toString())).orElse(Map.of())));
            return true;
        });
    }

    /**
     * Gives back a claim that was never attempted (the gateway is stopping): due again at once, attempt uncounted.
     * A claim that is no longer current gives back nothing.
     */
    public void release(Claim claim) {
        Transactions.inTransaction(dataSource, "release delivery " + claim.deliveryId(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET lease_until = NULL,"
                    + " attempts = GREATEST(attempts - 1, 0) WHERE id = ? AND state = 'pending' AND attempts = ?")) {
                update.setLong(1, claim.deliveryId());
                update.setInt(2, claim.fence());
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The pushed deliveries waiting and the dead letters, per recipient, in one grouped query: what the metrics
     * show. A recipient with neither is absent.
     */
    public Map<PartnerId, QueueStats> stats() {
        return Transactions.inTransaction(dataSource, "read the outbox's figures", c -> {
            Map<PartnerId, QueueStats> stats = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT recipient,"
                            + " count(*) FILTER (WHERE state = 'pending'), min(created_at) FILTER (WHERE state = 'pending'),"
                            + " count(*) FILTER (WHERE state = 'failed') FROM delivery"
                            + " WHERE (state = 'pending' AND transport <> 'inbox') OR state = 'failed'"
                            + " GROUP BY recipient ORDER BY recipient");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    PartnerId partner = PartnerId.of(rs.getString(1));
                    stats.put(
                            partner,
                            new QueueStats(
                                    partner,
                                    rs.getLong(2),
                                    Optional.ofNullable(JdbcReferralStore.instant(rs, 3)),
                                    rs.getLong(4)));
                }
            }
            return Map.copyOf(stats);
        });
    }

    private static Map<String, String> detail(Claim claim, DeliveryOutcome outcome, Map<String, String> more) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("recipient", claim.recipient().value());
        detail.put("transport", claim.transport());
        detail.put("attempt", Integer.toString(claim.attempt()));
        detail.put("outcome", outcome.result().name().toLowerCase(java.util.Locale.ROOT));
        // The audit holds codes, never prose: "HTTP 503" is kept as HTTP-503; last_error keeps it as written.
        String reason =
                outcome.detail().replaceAll("[^A-Za-z0-9._:/,@+=-]+", "-").replaceAll("^-|-$", "");
        if (!reason.isEmpty()) {
            detail.put("reason", reason.length() > 100 ? reason.substring(0, 100) : reason);
        }
        detail.putAll(more);
        return detail;
    }

    private static void lockReferral(Connection c, ReferralId id) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM referral WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, id.value());
            lock.executeQuery().close();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * One recipient's figures in the outbox.
     *
     * @param pending       pushed deliveries not yet delivered nor given up (waiting, being attempted, or due)
     * @param oldestPending when the oldest of them was sealed; empty when there is none
     * @param failed        dead letters: deliveries given up, waiting for an administrator
     */
    public record QueueStats(PartnerId partner, long pending, Optional<Instant> oldestPending, long failed) {
        public QueueStats {
            Objects.requireNonNull(partner, "partner");
            Objects.requireNonNull(oldestPending, "oldestPending");
            if (pending < 0 || failed < 0) {
                throw new IllegalArgumentException(
                        "pending " + pending + ", failed " + failed + " (expected: 0 or more)");
            }
        }
    }

    /**
     * A delivery a worker holds until its lease ends.
     *
     * @param attempt   this attempt's number, 1 for the first
     * @param createdAt when the referral was sealed for this recipient, or last replayed by an administrator: the
     *                  age the retry policy limits counts from then
     * @param fence     how many times the delivery was ever claimed: only the latest claim may record a failure or
     *                  a release; unlike {@code attempt}, a replay does not reset it
     * @param notice    when the delivery is a notice about the referral rather than its copy: which
     */
    public record Claim(
            long deliveryId,
            ReferralId referralId,
            PartnerId recipient,
            ReferralType type,
            Urgency urgency,
            String transport,
            String mediaType,
            byte[] payload,
            int attempt,
            Instant createdAt,
            int fence,
            Optional<Notice> notice) {
        public Claim {
            Objects.requireNonNull(notice, "notice");
            Objects.requireNonNull(referralId, "referralId");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(urgency, "urgency");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        @Override
        public String toString() {
            return "Claim[delivery " + deliveryId + ", referral " + referralId + " to " + recipient + " by " + transport
                    + notice.map(n -> ", notice " + n).orElse("") + ", attempt " + attempt + "]";
        }
    }
}
