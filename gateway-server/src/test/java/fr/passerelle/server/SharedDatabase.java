package fr.passerelle.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A PostgreSQL that outlives the gateways of a test, as a production server does: several gateway instances, or a
 * gateway process killed and started again, all use it. Each {@link #create()} makes a fresh, empty database.
 *
 * <p>On the server that {@code GATEWAY_TEST_DB_URL} names (with {@code GATEWAY_TEST_DB_USER} and
 * {@code GATEWAY_TEST_DB_PASSWORD}) when it is set, else on one embedded PostgreSQL started in this JVM; databases
 * are dropped, or the embedded server stopped, when the JVM exits.
 */
final class SharedDatabase {
    private static EmbeddedPostgres embedded;

    private SharedDatabase() {
    }

    /** A fresh database: where the gateway finds it, and a connection source for the test's own checks. */
    record Fresh(String url, Optional<String> user, Optional<String> password, DataSource dataSource) {
        /** The variables that point a gateway at this database. */
        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_DATABASE_URL", url);
            user.ifPresent(value -> env.put("GATEWAY_DATABASE_USER", value));
            password.ifPresent(value -> env.put("GATEWAY_DATABASE_PASSWORD", value));
            return env;
        }

        @Override
        public String toString() {
            return "Fresh[" + url + "]";
        }
    }

    static synchronized Fresh create() {
        String name = "passerelle_shared_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        Optional<String> serverUrl = env("GATEWAY_TEST_DB_URL");
        Optional<String> user = serverUrl.isPresent() ? env("GATEWAY_TEST_DB_USER") : Optional.of("postgres");
        Optional<String> password = serverUrl.isPresent() ? env("GATEWAY_TEST_DB_PASSWORD") : Optional.empty();
        String server = serverUrl.orElseGet(() -> "jdbc:postgresql://localhost:" + embedded().getPort() + "/postgres");
        execute(server, user, password, "CREATE DATABASE " + name);
        if (serverUrl.isPresent()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> execute(server, user, password,
                    "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"), "shared-database-dropper"));
        }
        String url = server.replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + name);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        user.ifPresent(dataSource::setUser);
        password.ifPresent(dataSource::setPassword);
        return new Fresh(url, user, password, dataSource);
    }

    private static EmbeddedPostgres embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL of the test", e);
            }
            EmbeddedPostgres started = embedded;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting: the temporary folder is all that is left behind.
                }
            }, "shared-database-closer"));
        }
        return embedded;
    }

    private static void execute(String url, Optional<String> user, Optional<String> password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user.orElse(null), password.orElse(null));
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test server", e);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
