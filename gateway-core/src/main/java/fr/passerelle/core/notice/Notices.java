package fr.passerelle.core.notice;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewNotice;
import fr.passerelle.core.store.NoticeRows;
import fr.passerelle.core.store.OpenReferral;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The referrals that their deadlines overtake, and the notices that tell partners so. A notice is one more row
 * of the outbox ({@code delivery.notice}), delivered by the recipient's own transport; each change commits with
 * its notices and its audit entry, and happens once however many instances watch the same database.
 * Thread-safe.
 */
public final class Notices {
    /** The statuses of a referral that no recipient has accepted, declined by all, or finished. */
    private static final List<String> UNACCEPTED = List.of("routed", "delivered", "received");

    private final DataSource dataSource;
    private final PayloadCipher cipher;
    private final Clock clock;

    public Notices(DataSource dataSource, PayloadCipher cipher, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Referrals of this type and urgency submitted at or before {@code submittedBefore} that no recipient has
     * acknowledged and that were not escalated yet, oldest first.
     */
    public List<OpenReferral> unacknowledged(
            ReferralType type, Set<Urgency> urgencies, Instant submittedBefore, int limit) {
        return candidates(
                type,
                urgencies,
                Instant.EPOCH,
                submittedBefore,
                limit,
                EscalationCause.UNACKNOWLEDGED.statuses(),
                " AND r.escalated_at IS NULL");
    }

    /**
     * Referrals of this type and urgency submitted after {@code submittedAfter} that every recipient declined for
     * lack of places ({@code no-capacity} on each copy) and that were not escalated yet, oldest first.
     */
    public List<OpenReferral> declinedForLackOfPlaces(
            ReferralType type, Set<Urgency> urgencies, Instant submittedAfter, int limit) {
        return candidates(
                type,
                urgencies,
                submittedAfter,
                clock.instant(),
                limit,
                EscalationCause.NO_CAPACITY.statuses(),
                " AND r.escalated_at IS NULL AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.referral_id = r.id"
                        + " AND d.notice IS NULL AND d.decline_reason IS DISTINCT FROM '"
                        + DeclineReason.NO_CAPACITY.code() + "')");
    }

    /** Referrals of this type and urgency submitted at or before {@code submittedBefore} that nobody accepted. */
    public List<OpenReferral> unaccepted(
            ReferralType type, Set<Urgency> urgencies, Instant submittedBefore, int limit) {
        return candidates(type, urgencies, Instant.EPOCH, submittedBefore, limit, UNACCEPTED, "");
    }

    /**
     * Escalates a referral that still stands as {@code cause} found it (unacknowledged, or declined by all for lack
     * of places) and was not escalated: stores the notices and a {@code referral.escalated} audit entry by the
     * gateway, naming the rule and the cause.
     *
     * @return false, storing nothing, when a recipient answered it meanwhile or another instance escalated it
     */
    public boolean escalate(ReferralId id, String rule, EscalationCause cause, List<NewNotice> notices) {
        Instant now = now();
        return Transactions.inTransaction(dataSource, "escalate referral " + id, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE referral SET escalated_at = ? WHERE id = ?"
                    + " AND escalated_at IS NULL AND status = ANY (?)")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setObject(2, id.value());
                update.setArray(3, c.createArrayOf("text", cause.statuses().toArray()));
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            insert(c, id, notices, now);
            AuditLog.append(
                    c,
                    JdbcReferralStore.GATEWAY_ACTOR,
                    "referral.escalated",
                    Optional.of(id),
                    Map.of("rule", rule, "cause", cause.code(), "notified", NoticeRows.recipients(notices)));
            return true;
        });
    }

    /**
     * Ends a referral that nobody accepted: its copies still pending, delivered or received become
     * {@code expired} (a pending one is never sent; a recipient can no longer answer), the referral's status
     * becomes {@code expired}, with the notices and a {@code referral.expired} audit entry by the gateway.
     *
     * @return false, storing nothing, when a recipient accepted it meanwhile, or it ended otherwise
     */
    public boolean expire(ReferralId id, String rule, List<NewNotice> notices) {
        Instant now = now();
        return Transactions.inTransaction(dataSource, "expire referral " + id, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE referral SET status = 'expired' WHERE id = ?" + " AND status = ANY (?)")) {
                update.setObject(1, id.value());
                update.setArray(2, c.createArrayOf("text", UNACCEPTED.toArray()));
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            int expired;
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = 'expired',"
                    + " lease_until = NULL, next_attempt_at = NULL, updated_at = ? WHERE referral_id = ?"
                    + " AND notice IS NULL AND state IN ('pending', 'delivered', 'received')")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setObject(2, id.value());
                expired = update.executeUpdate();
            }
            insert(c, id, notices, now);
            AuditLog.append(
                    c,
                    JdbcReferralStore.GATEWAY_ACTOR,
                    "referral.expired",
                    Optional.of(id),
                    Map.of(
                            "rule",
                            rule,
                            "copiesExpired",
                            Integer.toString(expired),
                            "notified",
                            NoticeRows.recipients(notices)));
            return true;
        });
    }

    private List<OpenReferral> candidates(
            ReferralType type,
            Set<Urgency> urgencies,
            Instant submittedAfter,
            Instant submittedBefore,
            int limit,
            List<String> statuses,
            String condition) {
        return Transactions.inTransaction(dataSource, "find referrals past a deadline", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + OpenReferral.COLUMNS + " FROM referral r"
                    + " WHERE r.type = ? AND r.urgency = ANY (?) AND r.status = ANY (?) AND r.submitted_at <= ?"
                    + " AND r.submitted_at > ?" + condition + " ORDER BY r.submitted_at LIMIT ?")) {
                select.setString(1, type.code());
                select.setArray(
                        2,
                        c.createArrayOf(
                                "text", urgencies.stream().map(Urgency::code).toArray()));
                select.setArray(3, c.createArrayOf("text", statuses.toArray()));
                select.setObject(4, JdbcReferralStore.timestamp(submittedBefore));
                select.setObject(5, JdbcReferralStore.timestamp(submittedAfter));
                select.setInt(6, limit);
                List<OpenReferral> found = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(OpenReferral.read(c, rs));
                    }
                }
                return found;
            }
        });
    }

    private void insert(Connection c, ReferralId id, List<NewNotice> notices, Instant now) throws SQLException {
        NoticeRows.insert(c, cipher, id, notices, now);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
