package fr.passerelle.devkit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Every row of every table of the gateway's schema as text, as {@code pg_dump} would show it (bytea as hex), to
 * search for personal data that should not be there in clear.
 */
public final class DatabaseDump {
    private final List<String> rows;

    private DatabaseDump(List<String> rows) {
        this.rows = List.copyOf(rows);
    }

    public static DatabaseDump of(DataSource dataSource) {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement list = c.prepareStatement(
                            "SELECT table_name FROM information_schema.tables"
                                    + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
                    ResultSet rs = list.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                // Table names come from the catalogue, quoted: nothing of a caller's reaches this statement.
                try (PreparedStatement select = c.prepareStatement("SELECT t::text FROM \"" + table + "\" t");
                        ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(table + " " + rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot dump the database: " + e.getSQLState(), e);
        }
        return new DatabaseDump(rows);
    }

    public int rowCount() {
        return rows.size();
    }

    /** The names of the values found in the dump, in clear or as the hex of their UTF-8 bytes. */
    public List<String> holding(Map<String, String> valuesByName) {
        List<String> found = new ArrayList<>();
        valuesByName.forEach((name, value) -> {
            String hex = HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
            if (rows.stream().anyMatch(row -> row.contains(value) || row.contains(hex))) {
                found.add(name);
            }
        });
        return found;
    }

    /** Which of {@code texts} (such as the hex of a ciphertext, as PostgreSQL prints a bytea) some row holds. */
    public List<String> containing(List<String> texts) {
        return texts.stream()
                .filter(text -> rows.stream().anyMatch(row -> row.contains(text)))
                .toList();
    }
}
