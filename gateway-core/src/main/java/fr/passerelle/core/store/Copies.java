package fr.passerelle.core.store;

import fr.passerelle.core.referral.ReferralId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Statements on a referral's copies shared by a cancellation, a withdrawal and a purge. Stateless. */
public final class Copies {
    private Copies() {}

    /**
     * Cancels the copies of a referral whose state is one of {@code states}: a pending one is never sent, and no
     * recipient can answer any of them any more.
     *
     * @return how many copies stopped
     */
    public static int stop(Connection c, ReferralId id, List<String> states, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET state = 'cancelled',"
                + " lease_until = NULL, next_attempt_at = NULL, updated_at = ? WHERE referral_id = ?"
                + " AND notice IS NULL AND state = ANY (?)")) {
            update.setObject(1, JdbcReferralStore.timestamp(now));
            update.setObject(2, id.value());
            update.setArray(3, c.createArrayOf("text", states.toArray()));
            return update.executeUpdate();
        }
    }
}
