package fr.passerelle.server.cli;

import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.backup.BackupManifest;
import fr.passerelle.core.backup.DatabaseRestore;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.PurgeLog;
import fr.passerelle.core.store.Purges;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway restore --from DIR}: a backup into a new, empty database, then the replay of the purge log (what was
 * erased after the backup is erased again) and the verification of the audit log. Exits 1 when the audit log does
 * not verify.
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description =
                "Restores a backup folder into a new, empty database: checks every file against the manifest, migrates the database to the backup's schema version, copies the tables back in one transaction, replays the purge log (keys.purge_log, by default beside the master keys), then verifies the audit log.")
final class RestoreCommand extends ConfiguredCommand {
    @Option(
            names = "--from",
            required = true,
            paramLabel = "DIR",
            description = "the folder that `gateway backup --out` wrote")
    Path from;

    @Override
    public Integer call() {
        GatewaySettings settings = settings();
        PrintWriter print = out();
        BackupManifest manifest = DatabaseRestore.check(from);
        print.println("backup " + from.toAbsolutePath().normalize() + " checked, every file matches "
                + BackupManifest.FILE + ": " + manifest.summary());
        print.flush();
        try (Database db = Database.openUnmigrated(settings.database(), settings.dataDir())) {
            print.println("restoring into " + db.description() + ":");
            print.flush();
            DatabaseRestore.Result result = DatabaseRestore.restore(db, from, manifest, line -> {
                print.println(line);
                print.flush();
            });
            print.println("restored " + manifest.rows() + " rows in "
                    + manifest.tables().size() + " tables; schema now at version " + result.schemaVersion());
            replay(db, settings, print);
            AuditVerifier.Verdict verdict = AuditVerifier.verify(db.dataSource(), AuditCommand.trust(settings));
            print.println(verdict.summary());
            if (!verdict.ok()) {
                print.println("restore: the audit log of the restored database does not verify; do not serve it:"
                        + " restore another backup, and keep this one for the investigation");
            }
            print.flush();
            return verdict.ok() ? 0 : GatewayCommand.EXIT_FAILED;
        }
    }

    /** Erases again what the purge log lists: what was erased after the backup was taken. */
    private static void replay(Database db, GatewaySettings settings, PrintWriter print) {
        PurgeLog log = new PurgeLog(settings.purgeLog());
        if (!Files.exists(log.file())) {
            print.println("purge log " + log.file() + ": none, nothing to replay (no erasure since the key files were"
                    + " made; if the log was lost, run `gateway purge --replay` with a copy)");
            return;
        }
        List<ReferralId> listed = log.ids();
        Purges purges = new Purges(db.dataSource(), Clock.systemUTC(), settings::retention, log);
        List<ReferralId> erased = new ArrayList<>();
        for (ReferralId id : listed) {
            if (purges.replay(List.of(id)) == 1) {
                erased.add(id);
            }
        }
        print.println("purge log " + log.file() + " replayed: " + listed.size() + " referral(s) listed, "
                + erased.size() + " erased again" + (erased.isEmpty() ? "" : ":"));
        erased.forEach(id -> print.println("  " + id));
    }
}
