package fr.passerelle.core.testkit;

import com.zaxxer.hikari.HikariDataSource;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import fr.passerelle.core.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database fixture of every module's integration tests: one PostgreSQL server per test JVM, started lazily,
 * and a fresh database on it per test class.
 *
 * <p>The server is the one that {@code GATEWAY_TEST_DB_URL} names when it is set (with optional
 * {@code GATEWAY_TEST_DB_USER} and {@code GATEWAY_TEST_DB_PASSWORD}); the databases made there are dropped when the
 * JVM exits. Otherwise one embedded PostgreSQL runs in a temporary folder, stopped and removed at exit.
 *
 * <p>{@link #fresh()} copies a template database that the gateway's migrations were applied to once, which is
 * faster than migrating each database; a gateway that opens it finds its schema up to date. Tests that need a
 * server of their own (the gateway's embedded server, a kill -9 of its PostgreSQL) do not use this class.
 *
 * <p>The store tests of gateway-core share one database per JVM ({@link #database()}) and empty it before each
 * test ({@link #reset()}). The audit tables refuse TRUNCATE by trigger and the audit counter only counts up; the
 * reset disables those triggers, truncates, sets the counter back to 0 and re-enables them inside one transaction,
 * so that no other session ever sees the tables unprotected and the production schema stays untouched.
 */
public final class TestDatabase {
    private static Server server;
    private static Database database;

    private TestDatabase() {}

    /** A database of its own on the test server: where a gateway finds it, and who logs in. */
    public record Fresh(String url, Optional<String> user, Optional<String> password) {
        /** The variables that point a gateway at this database. */
        public Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_DATABASE_URL", url);
            user.ifPresent(value -> env.put("GATEWAY_DATABASE_USER", value));
            password.ifPresent(value -> env.put("GATEWAY_DATABASE_PASSWORD", value));
            return env;
        }

        /** The settings that open this database as the gateway opens its own ({@code Database.open}). */
        public DatabaseSettings settings() {
            return new DatabaseSettings(Optional.of(url), user, password, 4);
        }

        /** A connection source for the test's own checks, unpooled: each connection is the test's to close. */
        public PGSimpleDataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url);
            user.ifPresent(dataSource::setUser);
            password.ifPresent(dataSource::setPassword);
            return dataSource;
        }

        @Override
        public String toString() {
            return "Fresh[" + DatabaseSettings.maskUrl(url) + "]";
        }
    }

    /** Where the test server is and who logs in; databases are made through its maintenance database. */
    private record Server(
            String url, Optional<String> user, Optional<String> password, boolean dropsAtExit, String template) {
        String urlOf(String name) {
            return url.replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + name);
        }

        void execute(String sql) {
            try (Connection c = DriverManager.getConnection(url, user.orElse(null), password.orElse(null));
                    Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "cannot run '" + sql + "' on the test server " + DatabaseSettings.maskUrl(url), e);
            }
        }
    }

    /** A new database, its schema migrated, that no other test class sees. */
    public static synchronized Fresh fresh() {
        Server on = server();
        return create(on, on.template());
    }

    /** A new database with no schema at all, as an operator creates one to restore a backup into. */
    public static synchronized Fresh empty() {
        return create(server(), "template0");
    }

    private static Fresh create(Server on, String template) {
        String name = "passerelle_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        on.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        if (on.dropsAtExit()) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> on.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"),
                            "test-database-dropper"));
        }
        return new Fresh(on.urlOf(name), on.user(), on.password());
    }

    /** The database that the store tests of this JVM share, opened as the gateway opens its own. */
    public static synchronized Database database() {
        if (database == null) {
            Database opened = open(fresh());
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close, "test-database-closer"));
            database = opened;
        }
        return database;
    }

    public static DataSource dataSource() {
        return database().dataSource();
    }

    /**
     * A connection source of its own on the shared database, as a second gateway instance has: same url, role and
     * password as the pool.
     */
    public static PGSimpleDataSource independentDataSource() {
        HikariDataSource pool = (HikariDataSource) dataSource();
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setURL(pool.getJdbcUrl());
        other.setUser(pool.getUsername());
        other.setPassword(pool.getPassword());
        return other;
    }

    /** Empties every table of the shared database, the audit log and its tree heads too, and restarts the numbering. */
    public static void reset() {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute(
                    "TRUNCATE receipt_link, receipt, delivery, held_copy, referral_hold, protection_token, protection, referral RESTART IDENTITY");
            s.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
            s.execute("TRUNCATE audit_entry");
            s.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
            s.execute("ALTER TABLE audit_tree_head DISABLE TRIGGER audit_tree_head_append_only");
            s.execute("TRUNCATE audit_tree_head");
            s.execute("ALTER TABLE audit_tree_head ENABLE TRIGGER audit_tree_head_append_only");
            s.execute("ALTER TABLE audit_queue DISABLE TRIGGER audit_queue_append_only");
            s.execute("TRUNCATE audit_queue RESTART IDENTITY");
            s.execute("ALTER TABLE audit_queue ENABLE TRIGGER audit_queue_append_only");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the test database", e);
        }
    }

    private static Server server() {
        if (server == null) {
            // Another JVM may be using a GATEWAY_TEST_DB_URL server: each keeps a template of its own.
            String template = "passerelle_template_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            Optional<String> url = env("GATEWAY_TEST_DB_URL");
            server = withTemplate(
                    url.isPresent()
                            ? new Server(
                                    url.get(),
                                    env("GATEWAY_TEST_DB_USER"),
                                    env("GATEWAY_TEST_DB_PASSWORD"),
                                    true,
                                    template)
                            : embedded(template));
        }
        return server;
    }

    private static Server embedded(String template) {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL of the tests", e);
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                postgres.close();
                            } catch (IOException e) {
                                // The JVM is exiting: the temporary folder is all that is left behind.
                            }
                        },
                        "test-database-closer"));
        return new Server(
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                Optional.of("postgres"),
                Optional.empty(),
                false,
                template);
    }

    /** Creates the template and migrates it, then closes every connection: CREATE DATABASE copies an idle one only. */
    private static Server withTemplate(Server on) {
        on.execute("CREATE DATABASE " + on.template());
        if (on.dropsAtExit()) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> on.execute("DROP DATABASE IF EXISTS " + on.template() + " WITH (FORCE)"),
                            "test-database-dropper"));
        }
        open(new Fresh(on.urlOf(on.template()), on.user(), on.password())).close();
        return on;
    }

    private static Database open(Fresh fresh) {
        // A database named by url keeps nothing in the gateway's data folder.
        return Database.open(fresh.settings(), Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
