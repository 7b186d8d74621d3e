package fr.passerelle.core.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables and sequences of the gateway's schema, read from the catalogue: what a backup copies. Flyway's history
 * is left out: a restore re-creates it by migrating the empty database to the backup's version.
 *
 * @param tables    every table, each after the tables its foreign keys reference
 * @param sequences every sequence, in name order
 */
record Schema(List<String> tables, List<String> sequences) {
    static final String FLYWAY_HISTORY = "flyway_schema_history";

    Schema {
        tables = List.copyOf(tables);
        sequences = List.copyOf(sequences);
    }

    static Schema read(Connection c) throws SQLException {
        Set<String> tables = new TreeSet<>(names(
                c,
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition"));
        tables.remove(FLYWAY_HISTORY);
        Map<String, Set<String>> references = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT child.relname, parent.relname FROM pg_constraint k"
                        + " JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid"
                        + " JOIN pg_namespace n ON n.oid = child.relnamespace"
                        + " WHERE k.contype = 'f' AND n.nspname = current_schema()");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                references
                        .computeIfAbsent(rs.getString(1), t -> new TreeSet<>())
                        .add(rs.getString(2));
            }
        }
        List<String> sequences = names(
                c,
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = current_schema() AND c.relkind = 'S' ORDER BY c.relname");
        return new Schema(TableOrder.parentsFirst(tables, references), sequences);
    }

    /** A name from the catalogue, quoted for a statement: nothing of a caller's reaches SQL. */
    static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
