package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The withdrawal of the consent a referral rested on (GDPR art. 7(3) and 17): the partners that hold a copy are
 * told to delete it, and the gateway erases its own copies. The referral's row, its copies' states, its notices and
 * its audit entries stay, so that the withdrawal itself is provable; its document and every copy's payload are
 * erased with their wrapped data keys, so that nothing of the person can be opened again, even with the master
 * keys. A child-protection alert raised from the referral is not erased: it rests on a legal obligation (CASF
 * L.226-3), not on consent. Thread-safe; each call is one transaction.
 */
public final class Withdrawals {
    /** Copies that stop: they will not be sent, nor answered. Completed, declined and expired copies stay as they are. */
    private static final List<String> STOPPED = List.of("pending", "delivered", "received", "accepted", "failed");

    private final DataSource dataSource;
    private final Clock clock;
    private final PayloadCipher cipher;

    public Withdrawals(DataSource dataSource, Clock clock, PayloadCipher cipher) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /**
     * What a withdrawal did.
     *
     * @param told        the partners told to delete their copy, in delivery order
     * @param erased      the copies whose payload was erased (held copies included)
     * @param replayed    true when the consent was already withdrawn: nothing was written this time
     * @param auditPosition the queue position of the {@code referral.consent-withdrawn} entry
     */
    public record Withdrawn(
            ReferralId id,
            Instant withdrawnAt,
            List<PartnerId> told,
            int erased,
            boolean replayed,
            long auditPosition) {
        public Withdrawn {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(withdrawnAt, "withdrawnAt");
            told = List.copyOf(told);
        }
    }

    /**
     * Withdraws the consent of referral {@code id}, which {@code sender} submitted.
     *
     * @param notices the notices to store, given the referral as it stood and the partners to tell (those whose copy
     *                left the gateway)
     * @throws GatewayException {@code referral_not_found}, the same whether the referral does not exist or another
     *                          partner sent it; {@code state_conflict} when the referral rests on no consent (a
     *                          child-protection alert)
     */
    public Withdrawn withdraw(ReferralId id, PartnerId sender, Function<Told, List<NewNotice>> notices) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inTransaction(dataSource, "withdraw the consent of referral " + id, c -> {
            OpenReferral referral = OpenReferral.lock(c, id)
                    .filter(r -> r.sender().equals(sender))
                    .orElseThrow(() -> new GatewayException(
                            ErrorCode.REFERRAL_NOT_FOUND,
                            "no referral " + id + " sent by " + sender
                                    + ": a consent.withdrawn names a referral its sender submitted"));
            if (referral.status().equals("withdrawn")) {
                return earlier(c, referral);
            }
            if (referral.type() == ReferralType.CHILD_PROTECTION_ALERT) {
                throw new GatewayException(
                        ErrorCode.STATE_CONFLICT,
                        "referral " + id + " is a child-protection"
                                + " alert, which rests on a legal obligation (CASF L.226-3), not on consent: it is not"
                                + " withdrawn; withdraw the referral it was raised from");
            }
            List<PartnerId> holders = holders(c, id);
            int stopped = Copies.stop(c, id, STOPPED, now);
            int erased = Erasure.erase(c, id, now);
            // The commune and the minor flag come from the document: the person took it back, they go with it.
            try (PreparedStatement update = c.prepareStatement("UPDATE referral SET status = 'withdrawn',"
                    + " withdrawn_at = ?, commune = NULL, minor = NULL WHERE id = ?")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setObject(2, id.value());
                update.executeUpdate();
            }
            List<NewNotice> told = notices.apply(new Told(referral, holders));
            NoticeRows.insert(c, cipher, id, referral.type().domain(), told, now);
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("copiesStopped", Integer.toString(stopped));
            detail.put("copiesErased", Integer.toString(erased));
            detail.put("notified", NoticeRows.recipients(told));
            long entry = AuditLog.append(c, sender.value(), "referral.consent-withdrawn", Optional.of(id), detail);
            return new Withdrawn(
                    id, now, told.stream().map(NewNotice::recipient).toList(), erased, false, entry);
        });
    }

    /** The referral as it stood, and the partners to tell: those whose copy left the gateway. */
    public record Told(OpenReferral referral, List<PartnerId> holders) {
        public Told {
            Objects.requireNonNull(referral, "referral");
            holders = List.copyOf(holders);
        }
    }

    /** Whoever may hold a copy: it was delivered once, or a push of it is under way. */
    private static List<PartnerId> holders(Connection c, ReferralId id) throws SQLException {
        List<PartnerId> holders = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT recipient FROM delivery WHERE referral_id = ?"
                + " AND notice IS NULL AND (delivered_at IS NOT NULL OR state <> 'pending' OR lease_until IS NOT NULL"
                + " OR attempts > 0) ORDER BY id")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    holders.add(PartnerId.of(rs.getString(1)));
                }
            }
        }
        return holders;
    }

    /** A repeated withdrawal: what the first one did. */
    private static Withdrawn earlier(Connection c, OpenReferral referral) throws SQLException {
        Instant at = referral.submittedAt();
        try (PreparedStatement select = c.prepareStatement("SELECT withdrawn_at FROM referral WHERE id = ?")) {
            select.setObject(1, referral.id().value());
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    at = JdbcReferralStore.instant(rs, 1);
                }
            }
        }
        List<PartnerId> told = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT recipient FROM delivery WHERE referral_id = ?"
                + " AND notice = 'consent-withdrawn' ORDER BY id")) {
            select.setObject(1, referral.id().value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    told.add(PartnerId.of(rs.getString(1)));
                }
            }
        }
        long entry = AuditLog.position(c, referral.id(), "referral.consent-withdrawn")
                .orElse(0L);
        return new Withdrawn(referral.id(), at, told, 0, true, entry);
    }
}
