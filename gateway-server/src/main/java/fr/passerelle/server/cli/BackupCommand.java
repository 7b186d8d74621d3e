package fr.passerelle.server.cli;

import fr.passerelle.core.backup.BackupManifest;
import fr.passerelle.core.backup.DatabaseBackup;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.protection.RegisterKeys;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway backup --out DIR}: a consistent copy of the database (every table, the configuration versions and
 * the audit log's tree heads among them) into a new folder, without stopping the gateway and without pg_dump; then
 * the reminder of what the database does not hold and must be kept apart (docs/OPERATIONS.md).
 */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description =
                "Copies every table of the database (one consistent snapshot, no lock on writers) into a new folder, with a manifest of row counts and SHA-256 digests. The key files, the signing key and the configuration folder are NOT in it: keep them apart.")
final class BackupCommand extends ConfiguredCommand {
    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "the folder to create (it must not exist, or be empty)")
    Path out;

    @Override
    public Integer call() {
        GatewaySettings settings = settings();
        PrintWriter print = out();
        BackupManifest manifest;
        try (Database db = database()) {
            print.println("backup of " + db.description() + " into "
                    + out.toAbsolutePath().normalize() + ":");
            print.flush();
            manifest = DatabaseBackup.write(db.dataSource(), out, line -> {
                print.println(line);
                print.flush();
            });
        }
        print.println("backup written: " + manifest.summary());
        print.println("  (the configuration versions and the audit log's tree heads are tables: they are in it)");
        reminder(settings).forEach(print::println);
        print.flush();
        return 0;
    }

    /** What the database does not hold, in English then French, with the paths of this deployment. */
    static List<String> reminder(GatewaySettings settings) {
        Path keys = settings.masterKeys().toAbsolutePath().normalize();
        String files = "\n    master keys (victim support): " + keys
                + "\n    master keys (police-justice): " + PayloadCipher.familyFile(keys, Domain.POLICE_JUSTICE)
                + "\n    register keys:                " + RegisterKeys.beside(keys)
                + "\n    purge log:                    "
                + settings.purgeLog().toAbsolutePath().normalize()
                + "\n    signing key and certificate:  "
                + (settings.signingKey() instanceof KeyLocation.InFile key
                        ? key.file().toAbsolutePath().normalize()
                        : settings.signingKey())
                + ", "
                + settings.signingCertificate().toAbsolutePath().normalize()
                + "\n    configuration folder:         "
                + settings.file().toAbsolutePath().normalize().getParent();
        return List.of(
                "NOT in this backup: keep these apart from it, safe and owner-only; without the key files nothing"
                        + " stored can be read again, and a restore replays the newest purge log:" + files,
                "PAS dans cette sauvegarde : gardez-les à part, en lieu sûr et lisibles du seul propriétaire ; sans"
                        + " les fichiers de clés rien de ce qui est stocké ne peut être relu, et la restauration"
                        + " rejoue le journal des purges le plus récent : clés maîtresses, clés du registre, journal"
                        + " des purges, clé de signature et dossier de configuration (chemins ci-dessus).");
    }
}
