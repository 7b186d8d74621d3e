package fr.passerelle.core.backup;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.store.Database;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;

/**
 * {@code gateway restore}: a backup folder back into a new, empty database. The files are checked against the
 * manifest first; the database is migrated to the backup's schema version, every table is copied back in one
 * transaction, parents before the tables that reference them, the sequences are set, and the schema is migrated on to
 * this gateway's latest version.
 */
public final class DatabaseRestore {
    /** The audit queue, whose rows name the transaction that wrote them (see {@link #restore}). */
    private static final String AUDIT_QUEUE = "audit_queue";

    private DatabaseRestore() {}

    /** What a restore did. */
    public record Result(BackupManifest manifest, String schemaVersion) {}

    /**
     * Reads a backup folder's manifest and checks every file it names against its SHA-256.
     *
     * @throws GatewayException {@code request_invalid} naming the missing folder, the missing or damaged file
     */
    public static BackupManifest check(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    folder + " is not a folder; expected: the folder that `gateway backup --out` wrote");
        }
        Path manifestFile = folder.resolve(BackupManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    folder + " holds no " + BackupManifest.FILE
                            + "; expected: the folder that `gateway backup --out` wrote, whole");
        }
        BackupManifest manifest = BackupManifest.read(manifestFile);
        for (BackupManifest.Table table : manifest.tables()) {
            Path file = fileOf(folder, table);
            MessageDigest sha256 = Folders.sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (NoSuchFileException e) {
                throw damaged(file, "is missing");
            } catch (IOException e) {
                throw damaged(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            if (!HexFormat.of().formatHex(sha256.digest()).equals(table.sha256())) {
                throw damaged(file, "does not match its SHA-256 in " + BackupManifest.FILE);
            }
        }
        return manifest;
    }

    /**
     * Restores a checked backup into {@code database}, which must hold no data.
     *
     * @param progress receives one line per table (its name and rows)
     * @throws GatewayException {@code request_invalid} for a backup newer than this gateway's schema;
     *                          {@code state_conflict} for a database that holds data or a newer schema;
     *                          {@code store_failed} when the database fails (nothing is then restored)
     */
    public static Result restore(Database database, Path folder, BackupManifest manifest, Consumer<String> progress) {
        MigrationVersion backup = MigrationVersion.fromVersion(manifest.schemaVersion());
        String latest = database.latestSchemaVersion();
        if (backup.compareTo(MigrationVersion.fromVersion(latest)) > 0) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the backup's schema is at version " + manifest.schemaVersion()
                            + ", newer than this gateway's migrations (up to " + latest
                            + "); expected: restore it with the gateway version that took it, or a later one");
        }
        Optional<String> current = database.schemaVersion();
        refuseData(database, current, manifest);
        database.migrate(Optional.of(manifest.schemaVersion()));
        Transactions.inTransaction(
                database.dataSource(), "restore the backup", c -> copyIn(c, folder, manifest, progress));
        database.migrate(Optional.empty());
        return new Result(manifest, database.schemaVersion().orElse(latest));
    }

    private static void refuseData(Database database, Optional<String> current, BackupManifest manifest) {
        String fix = "; expected: a new, empty database: restore into a new, empty database (CREATE DATABASE ... OWNER"
                + " <the gateway's role> TEMPLATE template0, named by database.url or GATEWAY_DATABASE_URL; or, with"
                + " the embedded PostgreSQL, a data_dir without postgres/)";
        if (current.isPresent()
                && MigrationVersion.fromVersion(current.get())
                                .compareTo(MigrationVersion.fromVersion(manifest.schemaVersion()))
                        > 0) {
            throw new GatewayException(
                    ErrorCode.STATE_CONFLICT,
                    database.description() + " has a schema at version " + current.get() + ", newer than the backup's "
                            + manifest.schemaVersion() + fix);
        }
        Map<String, Long> held = Transactions.inTransaction(database.dataSource(), "count the rows", c -> {
            Map<String, Long> rows = new TreeMap<>();
            for (String table : Schema.read(c).tables()) {
                long n = count(c, "SELECT count(*) FROM " + Schema.quoted(table));
                if (n > 0) {
                    rows.put(table, n);
                }
            }
            return rows;
        });
        if (!held.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.STATE_CONFLICT,
                    database.description() + " is not empty ("
                            + held.entrySet().stream()
                                    .map(e -> e.getKey() + ": " + e.getValue() + " rows")
                                    .collect(Collectors.joining(", "))
                            + "); a restore never mixes a backup with other data" + fix);
        }
    }

    private static Void copyIn(Connection c, Path folder, BackupManifest manifest, Consumer<String> progress)
            throws SQLException {
        execute(c, "SET LOCAL statement_timeout = 0");
        Schema schema = Schema.read(c);
        Map<String, BackupManifest.Table> files =
                manifest.tables().stream().collect(Collectors.toMap(BackupManifest.Table::name, Function.identity()));
        if (!new TreeSet<>(schema.tables()).equals(files.keySet())) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the backup's tables " + new TreeSet<>(files.keySet()) + " are not those of schema version "
                            + manifest.schemaVersion() + " " + new TreeSet<>(schema.tables())
                            + "; expected: a folder that `gateway backup` wrote, unchanged");
        }
        for (String name : schema.tables()) {
            BackupManifest.Table table = files.get(name);
            String quoted = Schema.quoted(name);
            // The audit tables refuse DELETE and UPDATE by trigger: they give way within this transaction only.
            execute(c, "ALTER TABLE " + quoted + " DISABLE TRIGGER USER");
            execute(c, "DELETE FROM " + quoted);
            long rows;
            try (InputStream in = new GZIPInputStream(
                    new BufferedInputStream(Files.newInputStream(fileOf(folder, table))), 1 << 16)) {
                rows = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY " + quoted + " FROM STDIN (FORMAT binary)", in);
            } catch (IOException e) {
                throw damaged(
                        fileOf(folder, table), "cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            if (name.equals(AUDIT_QUEUE)) {
                // Transaction ids belong to the cluster that wrote them: the restored rows are this transaction's,
                // so that the audit sequencer, which looks again only at recent transactions, sees them once.
                execute(c, "UPDATE audit_queue SET xid = pg_current_xact_id()");
            }
            execute(c, "ALTER TABLE " + quoted + " ENABLE TRIGGER USER");
            if (rows != table.rows()) {
                throw damaged(
                        fileOf(folder, table),
                        "holds " + rows + " rows where " + BackupManifest.FILE + " says " + table.rows());
            }
            progress.accept("  " + name + ": " + rows + " rows");
        }
        for (BackupManifest.Sequence sequence : manifest.sequences()) {
            if (!schema.sequences().contains(sequence.name())) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "the backup's sequence " + sequence.name() + " is not in schema version "
                                + manifest.schemaVersion() + "; expected: a folder that `gateway backup` wrote");
            }
            try (PreparedStatement set = c.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
                set.setString(1, Schema.quoted(sequence.name()));
                set.setLong(2, sequence.lastValue());
                set.setBoolean(3, sequence.called());
                set.executeQuery().close();
            }
        }
        return null;
    }

    private static Path fileOf(Path folder, BackupManifest.Table table) {
        Path file = folder.resolve(table.file()).normalize();
        if (!file.getParent().equals(folder.normalize()) || !table.file().endsWith(DatabaseBackup.SUFFIX)) {
            throw damaged(folder.resolve(BackupManifest.FILE), "names a file outside the folder: " + table.name());
        }
        return file;
    }

    private static GatewayException damaged(Path file, String problem) {
        return new GatewayException(
                ErrorCode.REQUEST_INVALID,
                "the backup is damaged: " + file + " " + problem
                        + "; expected: the files `gateway backup` wrote, unchanged: restore from another copy of"
                        + " this backup, or from another backup");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
