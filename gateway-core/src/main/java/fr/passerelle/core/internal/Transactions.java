package fr.passerelle.core.internal;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One JDBC transaction around a piece of work: commit when it returns, roll back when it throws. Not API. */
public final class Transactions {
    private Transactions() {}

    /** Work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * @param what what the work does, for the error: {@code cannot <what> (SQLSTATE ...)}; identifiers only
     * @throws GatewayException {@code store_failed} when the database fails; a GatewayException of the work goes
     *                          through unchanged, after the rollback
     */
    public static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot " + what + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}
