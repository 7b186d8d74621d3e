package fr.passerelle.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL database: the embedded server in the data folder, or the one that
 * {@code database.url} names, behind a HikariCP pool, its schema migrated by Flyway on open.
 *
 * <p>With no url, {@link #open} starts the embedded PostgreSQL ({@link EmbeddedServer}: password authentication,
 * loopback only, a non-superuser owner role, fsync on) whose files live in {@code dataDir/postgres} and survive
 * restarts. Only one gateway may start that server: a second one fails with {@code store_failed} naming the folder;
 * a tool beside the running gateway (the CLI) reaches the same server with {@link #openShared}. With a url, the
 * embedded server is never started.
 *
 * <p>Thread-safe. {@link #close()} closes the pool, then stops the embedded server if this instance started it.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String POOL_NAME = "passerelle";
    private static final String MIGRATIONS = "classpath:db/migration";
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    static final long STATEMENT_TIMEOUT_MS = 30_000;
    static final long LOCK_TIMEOUT_MS = 10_000;

    private final HikariDataSource pool;
    private final Optional<EmbeddedServer> embedded;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(HikariDataSource pool, Optional<EmbeddedServer> embedded, String description) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * Opens the database that the settings name, migrating its schema to the latest version.
     *
     * @param settings where the database is; an empty url means the embedded server
     * @param dataDir  the gateway's data folder; the embedded server keeps its files in {@code dataDir/postgres}
     * @throws GatewayException {@code store_failed} when the server cannot be started or reached or the migration
     *                          fails (the settings were validated when read). Messages never show a password.
     */
    public static Database open(DatabaseSettings settings, Path dataDir) {
        return open(settings, dataDir, true);
    }

    /**
     * As {@link #openShared}, but leaves the schema as it is: for {@code gateway restore}, which migrates an empty
     * database only as far as the backup's schema version ({@link #migrate}).
     */
    public static Database openUnmigrated(DatabaseSettings settings, Path dataDir) {
        return shared(settings, dataDir, false);
    }

    private static Database open(DatabaseSettings settings, Path dataDir, boolean migrate) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dataDir, "dataDir");
        if (settings.url().isPresent()) {
            return openUrl(settings, migrate);
        }
        return openEmbedded(settings, dataDir, migrate);
    }

    private static Database openUrl(DatabaseSettings settings, boolean migrate) {
        String url = settings.url().get();
        String masked = DatabaseSettings.maskUrl(url);
        HikariDataSource pool = pool(
                url,
                settings.user().orElse(null),
                settings.password().orElse(null),
                settings.maxPoolSize(),
                "PostgreSQL at " + masked,
                settings.password());
        return migrated(pool, Optional.empty(), version -> "PostgreSQL " + version + " at " + masked, migrate);
    }

    /**
     * As {@link #open}, but for a tool that runs beside the gateway (the CLI): when a running gateway already
     * started the embedded database of this data folder, connects to it with the details that gateway wrote
     * ({@code postgres.running}, {@code postgres.secret}, both 0600) instead of failing; the schema is left to that
     * gateway. Closing the result never stops a server it did not start.
     */
    public static Database openShared(DatabaseSettings settings, Path dataDir) {
        return shared(settings, dataDir, true);
    }

    private static Database shared(DatabaseSettings settings, Path dataDir, boolean migrate) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dataDir, "dataDir");
        if (settings.url().isEmpty()) {
            Optional<EmbeddedServer.Connection> running = EmbeddedServer.running(dataDir);
            if (running.isPresent()) {
                return attached(settings, dataDir.resolve(EmbeddedServer.CLUSTER), running.get());
            }
        }
        return open(settings, dataDir, migrate);
    }

    private static Database attached(DatabaseSettings settings, Path cluster, EmbeddedServer.Connection running) {
        HikariDataSource pool = pool(
                running.url(),
                running.user(),
                running.password(),
                settings.maxPoolSize(),
                "the embedded PostgreSQL of the gateway running on " + cluster,
                Optional.of(running.password()));
        try (Connection c = pool.getConnection()) {
            String version = c.getMetaData().getDatabaseProductVersion();
            return new Database(
                    pool,
                    Optional.empty(),
                    "embedded PostgreSQL " + version + " in " + cluster
                            + " (started by the running gateway, PostgreSQL process " + running.pid() + ")");
        } catch (SQLException e) {
            pool.close();
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot reach the embedded PostgreSQL of the gateway" + " running on " + cluster + ": " + reason(e),
                    e);
        }
    }

    private static Database openEmbedded(DatabaseSettings settings, Path dataDir, boolean migrate) {
        Path directory = dataDir.resolve(EmbeddedServer.CLUSTER);
        EmbeddedServer server = startEmbedded(dataDir, directory);
        HikariDataSource pool;
        try {
            EmbeddedServer.Connection connection = server.connection();
            pool = pool(
                    connection.url(),
                    connection.user(),
                    connection.password(),
                    settings.maxPoolSize(),
                    "the embedded PostgreSQL in " + directory,
                    Optional.of(connection.password()));
        } catch (GatewayException e) {
            stopAfterFailure(server, e);
            throw e;
        }
        return migrated(
                pool, Optional.of(server), version -> "embedded PostgreSQL " + version + " in " + directory, migrate);
    }

    private static EmbeddedServer startEmbedded(Path dataDir, Path directory) {
        try {
            return EmbeddedServer.start(dataDir);
        } catch (EmbeddedServer.InUse e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot start the embedded PostgreSQL in "
                            + directory + ": another gateway is using this data folder"
                            + EmbeddedServer.runningPostgres(directory)
                                    .map(pid -> " (its PostgreSQL is process " + pid + ")")
                                    .orElse("")
                            + "; expected one gateway per data folder: stop the other gateway, give this one its own"
                            + " data folder, or set database.url",
                    e);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot start the embedded PostgreSQL in " + directory + ": " + reason(e),
                    e);
        }
    }

    private static HikariDataSource pool(
            String url, String user, String password, int maxPoolSize, String where, Optional<String> secret) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setAutoCommit(true);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // The driver otherwise puts bound values (a payload, a document) into exception messages, which reach
        // the log with an incident: keep them out.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // A stuck lock or query must not pin a worker for ever: the client's answer would be lost anyway.
        config.addDataSourceProperty(
                "options", "-c statement_timeout=" + STATEMENT_TIMEOUT_MS + " -c lock_timeout=" + LOCK_TIMEOUT_MS);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
            String reason = reason(e);
            if (secret.isPresent() && !secret.get().isEmpty()) {
                reason = reason.replace(secret.get(), "<masked>");
            }
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot reach " + where + ": " + reason
                            + " (check database.url / GATEWAY_DATABASE_URL, user and password)",
                    e);
        }
    }

    private static Database migrated(
            HikariDataSource pool,
            Optional<EmbeddedServer> embedded,
            Function<String, String> describer,
            boolean migrate) {
        try {
            String version;
            try (Connection c = pool.getConnection()) {
                version = c.getMetaData().getDatabaseProductVersion();
            }
            if (migrate) {
                flyway(pool, Optional.empty()).migrate();
            }
            Database database = new Database(pool, embedded, describer.apply(version));
            log.info("Database ready: {}", database.description);
            return database;
        } catch (SQLException | FlywayException e) {
            GatewayException failure =
                    new GatewayException(ErrorCode.STORE_FAILED, "cannot migrate the database schema: " + reason(e), e);
            pool.close();
            embedded.ifPresent(server -> stopAfterFailure(server, failure));
            throw failure;
        }
    }

    /**
     * Reports the pool's figures (connections active, idle, pending, timeouts, acquisition times) to
     * {@code factory}, such as HikariCP's Micrometer tracker. The pool is named {@code passerelle}: no host name
     * and no URL reach the figures.
     *
     * @throws IllegalStateException when a tracker was set already: a pool reports to one
     */
    public void trackMetrics(MetricsTrackerFactory factory) {
        pool.setMetricsTrackerFactory(Objects.requireNonNull(factory, "factory"));
    }

    private static Flyway flyway(DataSource dataSource, Optional<String> target) {
        var config = Flyway.configure().dataSource(dataSource).locations(MIGRATIONS);
        target.ifPresent(config::target);
        return config.load();
    }

    /**
     * Migrates the schema up to {@code target} (a Flyway version, {@code 13}), or to the latest this gateway knows
     * when empty.
     *
     * @throws GatewayException {@code store_failed} when a migration fails
     */
    public void migrate(Optional<String> target) {
        try {
            flyway(pool, target).migrate();
        } catch (FlywayException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot migrate the database schema: " + reason(e), e);
        }
    }

    /** The schema version the database is at ({@code 13}), empty before the first migration. */
    public Optional<String> schemaVersion() {
        try {
            return Optional.ofNullable(flyway(pool, Optional.empty()).info().current())
                    .map(m -> m.getVersion().getVersion());
        } catch (FlywayException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot read the database's schema version: " + reason(e), e);
        }
    }

    /** The latest schema version this gateway's migrations reach ({@code 13}), whatever the database is at. */
    public String latestSchemaVersion() {
        try {
            return Arrays.stream(flyway(pool, Optional.empty()).info().all())
                    .map(MigrationInfo::getVersion)
                    .max(Comparator.naturalOrder())
                    .map(MigrationVersion::getVersion)
                    .orElseThrow();
        } catch (FlywayException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot read the gateway's schema migrations: " + reason(e), e);
        }
    }

    /** The pooled connections; each defaults to auto-commit. */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * What this database is, for logs and the CLI, with any password masked: {@code embedded PostgreSQL 17.5 in
     * /srv/passerelle/data/postgres} or {@code PostgreSQL 17.5 at jdbc:postgresql://db:5432/passerelle}.
     */
    public String description() {
        return description;
    }

    /** Closes the pool, then stops the embedded server, if any. Closing twice does nothing more. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.close();
        } finally {
            if (embedded.isPresent()) {
                try {
                    embedded.get().close();
                } catch (IOException e) {
                    throw new GatewayException(
                            ErrorCode.STORE_FAILED, "cannot stop the " + description + ": " + reason(e), e);
                }
            }
        }
    }

    private static void stopAfterFailure(EmbeddedServer server, GatewayException failure) {
        try {
            server.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "Database[" + description + "]";
    }

    /** The driver's own words when it has some (they name host and port), else the root cause's. */
    private static String reason(Throwable e) {
        Throwable chosen = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chosen = t;
            if (t instanceof SQLException) {
                break;
            }
        }
        String message = chosen.getMessage();
        return message == null || message.isBlank() ? chosen.getClass().getSimpleName() : message.strip();
    }
}
