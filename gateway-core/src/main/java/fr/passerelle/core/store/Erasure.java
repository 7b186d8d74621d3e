package fr.passerelle.core.store;

import fr.passerelle.core.referral.ReferralId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Erases a referral's content inside the caller's transaction: its document and every copy's payload are set NULL
 * with their wrapped data keys (destroying a data key makes any other copy of its ciphertext unreadable, backups
 * included), its held copies, receipt links and an administrator's release comment are deleted, and the referral
 * is marked purged. Notices already sent
 * are erased too; a notice still pending keeps its payload, which holds ids and codes only, so that it is still
 * delivered. The row, the copies' states and the audit entries stay.
 */
final class Erasure {
    private Erasure() {}

    /** @return how many stored ciphertexts were erased (copies, notices and held copies) */
    static int erase(Connection c, ReferralId id, Instant now) throws SQLException {
        int erased;
        try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET payload = NULL, key_id = NULL,"
                + " wrapped_key = NULL, updated_at = ? WHERE referral_id = ? AND payload IS NOT NULL"
                + " AND (notice IS NULL OR state <> 'pending')")) {
            update.setObject(1, JdbcReferralStore.timestamp(now));
            update.setObject(2, id.value());
            erased = update.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM receipt_link WHERE delivery_id IN" + " (SELECT id FROM delivery WHERE referral_id = ?)")) {
            delete.setObject(1, id.value());
            delete.executeUpdate();
        }
        erased += Holds.dropHeldCopies(c, id);
        // An administrator's release comment is free text: it may name the person.
        try (PreparedStatement update = c.prepareStatement("UPDATE referral_hold SET comment = NULL,"
                + " comment_key_id = NULL, comment_wrapped = NULL WHERE referral_id = ? AND comment IS NOT NULL")) {
            update.setObject(1, id.value());
            erased += update.executeUpdate();
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE referral SET document = NULL, key_id = NULL,"
                + " wrapped_key = NULL, purged_at = ? WHERE id = ? AND document IS NOT NULL")) {
            update.setObject(1, JdbcReferralStore.timestamp(now));
            update.setObject(2, id.value());
            erased += update.executeUpdate();
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE referral SET purged_at = ? WHERE id = ?")) {
            update.setObject(1, JdbcReferralStore.timestamp(now));
            update.setObject(2, id.value());
            update.executeUpdate();
        }
        return erased;
    }
}
