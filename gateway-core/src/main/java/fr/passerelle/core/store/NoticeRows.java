package fr.passerelle.core.store;

import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.keys.PayloadCipher.Encrypted;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.TransportProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The statements that store notices in the outbox ({@code delivery.notice}), run inside the caller's transaction:
 * by a cancellation, a withdrawal, a released hold, a deadline or a reminder. Stateless.
 */
public final class NoticeRows {
    private NoticeRows() {}

    /**
     * Stores notices in the outbox, encrypted at rest under the master-key family of the referral's domain, which
     * is read from its row in the caller's transaction; a notice of the same kind already stored for the same
     * partner is kept, not doubled.
     *
     * @throws GatewayException {@code referral_not_found} when there are notices and the referral does not exist
     */
    public static void insert(Connection c, PayloadCipher cipher, ReferralId id, List<NewNotice> notices, Instant now)
            throws SQLException {
        if (notices.isEmpty()) {
            return;
        }
        ReferralType type;
        try (PreparedStatement select = c.prepareStatement("SELECT type FROM referral WHERE id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw id.notFound();
                }
                type = ReferralType.fromCode(rs.getString(1));
            }
        }
        insert(c, cipher, id, type.domain(), notices, now);
    }

    /**
     * Stores notices in the outbox, encrypted at rest under the master-key family of {@code domain}, the domain of
     * the referral they are about; a notice of the same kind already stored for the same partner is kept, not
     * doubled.
     */
    public static void insert(
            Connection c, PayloadCipher cipher, ReferralId id, Domain domain, List<NewNotice> notices, Instant now)
            throws SQLException {
        if (notices.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO delivery (referral_id, recipient, route_ids,"
                + " state, media_type, payload, created_at, updated_at, key_id, wrapped_key, transport,"
                + " next_attempt_at, notice) VALUES (?, ?, '{}', 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            for (NewNotice notice : notices) {
                Encrypted payload = cipher.encrypt(
                        domain,
                        notice.payload(),
                        JdbcReferralStore.payloadAad(id, notice.recipient(), Optional.of(notice.notice())));
                insert.setObject(1, id.value());
                insert.setString(2, notice.recipient().value());
                insert.setString(3, notice.mediaType());
                insert.setBytes(4, payload.ciphertext());
                insert.setObject(5, JdbcReferralStore.timestamp(now));
                insert.setObject(6, JdbcReferralStore.timestamp(now));
                insert.setString(7, payload.keyId());
                insert.setBytes(8, payload.wrappedKey());
                insert.setString(9, notice.transport());
                insert.setObject(
                        10,
                        notice.transport().equals(TransportProvider.INBOX) ? null : JdbcReferralStore.timestamp(now));
                insert.setString(11, notice.notice().code());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Stores the notices {@code notices} makes of a referral as it stands, inside the caller's transaction (the
     * protection register's reminders).
     *
     * @return the partners told, comma-separated, for the caller's audit entry
     * @throws GatewayException {@code referral_not_found} when the referral no longer exists
     */
    public static String tell(
            Connection c,
            PayloadCipher cipher,
            ReferralId id,
            Function<OpenReferral, List<NewNotice>> notices,
            Instant now)
            throws SQLException {
        OpenReferral referral = OpenReferral.lock(c, id).orElseThrow(id::notFound);
        List<NewNotice> told = notices.apply(referral);
        insert(c, cipher, id, referral.type().domain(), told, now);
        return recipients(told);
    }

    /** The partners told, comma-separated, for an audit entry. */
    public static String recipients(List<NewNotice> notices) {
        return notices.stream()
                .map(NewNotice::recipient)
                .map(PartnerId::value)
                .distinct()
                .collect(Collectors.joining(","));
    }
}
