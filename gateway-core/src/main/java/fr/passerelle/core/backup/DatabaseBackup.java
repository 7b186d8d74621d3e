package fr.passerelle.core.backup;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditSequencer;
import fr.passerelle.core.internal.Transactions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * {@code gateway backup}: every table of the schema, read in one {@code SERIALIZABLE READ ONLY DEFERRABLE}
 * transaction (a consistent snapshot that takes no lock writers wait for), copied with {@code COPY ... TO STDOUT
 * (FORMAT binary)} into one gzip file per table, and {@code manifest.json}. The folder is written under a temporary
 * name beside its target and renamed at the end: a folder with the target's name is always a whole backup. Files are
 * the owner's only (0600, folder 0700).
 */
public final class DatabaseBackup {
    /** How long a backup waits for the audit sequencer to number what is queued. */
    static final Duration SEQUENCER_WAIT = Duration.ofSeconds(5);

    static final String SUFFIX = ".copy.gz";

    private DatabaseBackup() {}

    /**
     * Waits, at most {@link #SEQUENCER_WAIT}, until a running gateway's sequencer has numbered the audit entries
     * queued so far: an entry still queued in the backup would be numbered only after a restore, later than the
     * promise, and {@code audit verify} would say so. Entries appended during the backup itself may still be queued.
     */
    private static void awaitSequencer(DataSource dataSource, Consumer<String> progress) {
        Instant deadline = Instant.now().plus(SEQUENCER_WAIT);
        long pending = AuditSequencer.pending(dataSource);
        while (pending > 0 && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pending = AuditSequencer.pending(dataSource);
        }
        if (pending > 0) {
            progress.accept("  " + pending + " audit entries are not numbered yet (no gateway is running its"
                    + " sequencer): after a restore, they will be numbered later than promised");
        }
    }

    /**
     * Writes a backup of the database into {@code out}, which must not exist or be empty.
     *
     * @param progress receives one line per table (its name and rows): identifiers and counts only
     * @throws GatewayException {@code state_conflict} when {@code out} holds anything, {@code request_invalid} when it
     *                          cannot be written, {@code store_failed} when the database fails
     */
    public static BackupManifest write(DataSource dataSource, Path out, Consumer<String> progress) {
        Path target = out.toAbsolutePath().normalize();
        refuseNonEmpty(target);
        Path staging;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createDirectory(
                    target.resolveSibling("." + target.getFileName() + ".partial-"
                            + UUID.randomUUID().toString().substring(0, 8)),
                    PosixFilePermissions.asFileAttribute(Folders.OWNER_ONLY_FOLDER));
        } catch (IOException e) {
            throw Folders.unwritable(target, e);
        }
        try {
            awaitSequencer(dataSource, progress);
            BackupManifest manifest =
                    Transactions.inTransaction(dataSource, "back up the database", c -> snapshot(c, staging, progress));
            Folders.writeOwnerOnly(staging.resolve(BackupManifest.FILE), manifest.toJson());
            if (Files.exists(target)) {
                Files.delete(target); // empty, as checked above
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } catch (IOException e) {
            throw Folders.unwritable(target, e);
        } finally {
            Folders.deleteQuietly(staging);
        }
    }

    private static void refuseNonEmpty(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.isDirectory(target) ? Files.list(target) : Stream.of(target)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw Folders.unwritable(target, e);
        }
        if (!empty) {
            throw new GatewayException(
                    ErrorCode.STATE_CONFLICT,
                    target + " already exists and is not empty; expected: a new folder (or an empty one), so that no"
                            + " earlier backup is overwritten: choose another --out, or move the old one away");
        }
    }

    private static BackupManifest snapshot(Connection c, Path staging, Consumer<String> progress) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE");
            // A large table takes longer to copy than a request may last.
            s.execute("SET LOCAL statement_timeout = 0");
        }
        Instant takenAt = scalar(c, "SELECT statement_timestamp()", rs -> rs.getObject(1, OffsetDateTime.class)
                .toInstant());
        Schema schema = Schema.read(c);
        String schemaVersion = scalar(
                c,
                "SELECT version FROM " + Schema.FLYWAY_HISTORY
                        + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1",
                rs -> rs.getString(1));
        if (schemaVersion == null) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "the database has no schema version (no " + Schema.FLYWAY_HISTORY + "); expected: a gateway's"
                            + " database, migrated at its first start");
        }
        List<BackupManifest.Table> tables = new ArrayList<>();
        for (String table : schema.tables()) {
            String file = table + SUFFIX;
            long rows;
            MessageDigest sha256 = Folders.sha256();
            try (FileOutputStream fileOut = Folders.createOwnerOnly(staging.resolve(file));
                    GZIPOutputStream gzip = new GZIPOutputStream(new DigestOutputStream(fileOut, sha256), 1 << 16)) {
                rows = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyOut("COPY " + Schema.quoted(table) + " TO STDOUT (FORMAT binary)", gzip);
                gzip.finish();
                fileOut.getFD().sync();
            } catch (IOException e) {
                throw Folders.unwritable(staging.resolve(file), e);
            }
            tables.add(
                    new BackupManifest.Table(table, file, rows, HexFormat.of().formatHex(sha256.digest())));
            progress.accept("  " + table + ": " + rows + " rows");
        }
        List<BackupManifest.Sequence> sequences = new ArrayList<>();
        for (String sequence : schema.sequences()) {
            sequences.add(scalar(
                    c,
                    "SELECT last_value, is_called FROM " + Schema.quoted(sequence),
                    rs -> new BackupManifest.Sequence(sequence, rs.getLong(1), rs.getBoolean(2))));
        }
        OptionalInt configVersion = schema.tables().contains("config_current")
                ? Optional.ofNullable(scalar(c, "SELECT number FROM config_current", rs -> rs.getInt(1)))
                        .map(OptionalInt::of)
                        .orElse(OptionalInt.empty())
                : OptionalInt.empty();
        Optional<BackupManifest.TreeHead> head = schema.tables().contains("audit_tree_head")
                ? Optional.ofNullable(scalar(
                        c,
                        "SELECT size, root FROM audit_tree_head ORDER BY size DESC LIMIT 1",
                        rs -> new BackupManifest.TreeHead(
                                rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2)))))
                : Optional.empty();
        return new BackupManifest(
                BackupManifest.FORMAT, schemaVersion, takenAt, tables, sequences, configVersion, head);
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first row of a query, or null when it has none. */
    private static <T> T scalar(Connection c, String sql, Row<T> row) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? row.read(rs) : null;
        }
    }
}
