package fr.passerelle.core.store;

import com.zaxxer.hikari.HikariDataSource;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One real PostgreSQL per test JVM, shared by the test classes, started lazily.
 *
 * <p>When {@code GATEWAY_TEST_DB_URL} is set (with optional {@code GATEWAY_TEST_DB_USER} and
 * {@code GATEWAY_TEST_DB_PASSWORD}), a fresh database is created on that server and dropped when the JVM exits.
 * Otherwise one embedded PostgreSQL runs in a temporary folder, removed at exit.
 *
 * <p>{@link #reset()} empties every table before a test. The audit tables refuse TRUNCATE by trigger and the
 * audit counter only counts up; the reset disables those triggers, truncates, sets the counter back to 0 and
 * re-enables them inside one transaction, so that no other session ever sees the tables unprotected and the
 * production schema stays untouched.
 */
public final class TestDatabase {
    private static Database database;

    private TestDatabase() {
    }

    public static synchronized Database database() {
        if (database == null) {
            database = open();
        }
        return database;
    }

    public static DataSource dataSource() {
        return database().dataSource();
    }

    /**
     * A connection source of its own on the same database, as a second gateway instance has: same url, role and
     * password as the pool (the embedded server wants the password; so may a {@code GATEWAY_TEST_DB_URL} server).
     */
    public static PGSimpleDataSource independentDataSource() {
        HikariDataSource pool = (HikariDataSource) dataSource();
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setURL(pool.getJdbcUrl());
        other.setUser(pool.getUsername());
        other.setPassword(pool.getPassword());
        return other;
    }

    /** Empties every table, the audit log and its tree heads included, and restarts the numbering. */
    public static void reset() {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("TRUNCATE receipt_link, receipt, delivery, held_copy, referral_hold, protection_token, protection, referral RESTART IDENTITY");
            s.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
            s.execute("TRUNCATE audit_entry");
            s.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
            s.execute("ALTER TABLE audit_tree_head DISABLE TRIGGER audit_tree_head_append_only");
            s.execute("TRUNCATE audit_tree_head");
            s.execute("ALTER TABLE audit_tree_head ENABLE TRIGGER audit_tree_head_append_only");
            s.execute("ALTER TABLE audit_counter DISABLE TRIGGER audit_counter_one_by_one");
            s.execute("UPDATE audit_counter SET last_seq = 0");
            s.execute("ALTER TABLE audit_counter ENABLE TRIGGER audit_counter_one_by_one");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the test database", e);
        }
    }

    private static Database open() {
        Optional<String> url = env("GATEWAY_TEST_DB_URL");
        return url.isPresent() ? openFresh(url.get()) : openEmbedded();
    }

    private static Database openEmbedded() {
        Path dir = temporaryFolder("passerelle-test-db");
        Database opened = Database.open(DatabaseSettings.embedded(), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            opened.close();
            delete(dir);
        }, "test-database-closer"));
        return opened;
    }

    private static Database openFresh(String serverUrl) {
        Optional<String> user = env("GATEWAY_TEST_DB_USER");
        Optional<String> password = env("GATEWAY_TEST_DB_PASSWORD");
        String name = "passerelle_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(serverUrl, user, password, "CREATE DATABASE " + name);
        String url = serverUrl.replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + name);
        Database opened = Database.open(new DatabaseSettings(Optional.of(url), user, password, 4),
                temporaryFolder("passerelle-test-data"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            opened.close();
            execute(serverUrl, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }, "test-database-dropper"));
        return opened;
    }

    private static void execute(String url, Optional<String> user, Optional<String> password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user.orElse(null), password.orElse(null));
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test server "
                    + DatabaseSettings.maskUrl(url), e);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    static Path temporaryFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
