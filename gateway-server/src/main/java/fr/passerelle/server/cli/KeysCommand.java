package fr.passerelle.server.cli;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.keys.KeyRotation;
import fr.passerelle.core.keys.MasterKeys;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.protection.ProtectionRegister;
import fr.passerelle.core.protection.RegisterKeys;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.store.Database;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway keys}: the master keys that wrap every stored payload's data key, in two families: victim support
 * ({@code keys.file}) and police-justice ({@code master-police-justice.keys} beside it); and, with
 * {@code rotate --signing}, the key that signs what the gateway sends and its audit log's tree heads.
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Master key tools (encryption at rest).",
        subcommands = {
            KeysCommand.Init.class,
            KeysCommand.Rotate.class,
            KeysCommand.Retire.class,
            KeysCommand.Status.class
        })
final class KeysCommand extends CommandGroup {
    static final int BATCH = 500;

    /** The file of each family, victim support first. */
    static Map<Domain, Path> families(GatewaySettings settings) {
        Map<Domain, Path> files = new java.util.EnumMap<>(Domain.class);
        for (Domain domain : Domain.values()) {
            files.put(domain, PayloadCipher.familyFile(settings.masterKeys(), domain));
        }
        return files;
    }

    /**
     * The database, when this process can reach it: with the embedded one, the server of the gateway running on the
     * data folder, or one started for this command; empty, with a line saying so, when the embedded server is held
     * by a gateway that wrote no connection details (a release before this one).
     */
    static Optional<Database> databaseIfFree(GatewaySettings settings, PrintWriter out, String whenInUse) {
        try {
            return Optional.of(Database.openShared(settings.database(), settings.dataDir()));
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.STORE_FAILED || settings.database().url().isPresent()) {
                throw e;
            }
            out.println("  the embedded database is in use by a running gateway: " + whenInUse);
            return Optional.empty();
        }
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description =
                    "Creates the master key files of both families (victim support: keys.file of gateway.yaml, or GATEWAY_MASTER_KEYS; police-justice: master-police-justice.keys beside it) with a first key each. Back them up apart from the database.")
    static final class Init extends ConfiguredCommand {

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<Domain, Path> family : families(settings()).entrySet()) {
                Path file = family.getValue();
                if (Files.exists(file)) {
                    out.println("keys init: " + file + " already exists (" + family.getKey() + ", current key "
                            + MasterKeys.load(file).currentId() + "); nothing changed");
                    continue;
                }
                MasterKeys keys = MasterKeys.create(file, Clock.systemUTC());
                out.println("keys init: created " + file + " (" + family.getKey() + ") with key " + keys.currentId()
                        + ". Back it up apart from the database: without it nothing stored in its domain can be"
                        + " read.");
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description =
                    "Adds a new master key to each family (or to the one --domain names), which wraps every new data key of its domain at once, and re-wraps every stored data key under the current key of its own family, without stopping the gateway; adds a new protection-register key too. Old master keys can then be retired. With --signing, rotates the gateway's signing key instead.")
    static final class Rotate extends ConfiguredCommand {
        @Option(
                names = "--domain",
                paramLabel = "DOMAIN",
                description = "rotate only this family: victim-support or police-justice (default: both)")
        String domain;

        @Option(
                names = "--signing",
                description =
                        "rotate the signing key instead: a new key and certificate from the deployment's CA (pki.dir/ca-key.pem, the development PKI, with passerelle-tools.jar) at signing.key and signing.certificate, the change recorded in the audit log; the gateway signs with it once restarted. With an external CA, says how to install its certificate.")
        boolean signing;

        @Override
        public Integer call() {
            GatewaySettings settings = settings();
            if (signing) {
                if (domain != null) {
                    throw new GatewayException(
                            ErrorCode.REQUEST_INVALID,
                            "--signing and --domain " + domain + " together (expected: one of them; the signing key"
                                    + " belongs to no family)");
                }
                return SigningKeyRotation.rotate(
                        settings,
                        ServiceLoader.load(SigningKeyIssuer.class).findFirst(),
                        spec.commandLine().getOut(),
                        Clock.systemUTC());
            }
            Path file = settings.masterKeys();
            PrintWriter out = spec.commandLine().getOut();
            List<Domain> rotated = domain == null
                    ? List.of(Domain.values())
                    : List.of(Domain.find(domain)
                            .orElseThrow(() -> new GatewayException(
                                    ErrorCode.REQUEST_INVALID,
                                    "--domain " + domain + " is unknown (expected one of: " + Domain.codes() + ")")));
            for (Domain d : rotated) {
                Path familyFile = PayloadCipher.familyFile(file, d);
                MasterKeys keys = MasterKeys.load(familyFile).addKey(familyFile, Clock.systemUTC());
                out.println("keys rotate: new current key " + keys.currentId() + " in " + familyFile + " (" + d + ")");
            }
            // The protection register's key turns with the master keys: new tokens under the new key, lookups under
            // every key of the ring, so that nothing recorded before stops matching.
            RegisterKeys register = RegisterKeys.open(RegisterKeys.beside(file), Clock.systemUTC());
            out.println("  new register key " + register.rotate(Clock.systemUTC()) + " in " + register.file()
                    + " (earlier keys stay: the protections recorded under them still match)");
            Optional<Database> database =
                    databaseIfFree(settings, out, "it re-wraps in the background within a minute");
            if (database.isPresent()) {
                try (Database db = database.get()) {
                    PayloadCipher cipher = new PayloadCipher(file);
                    KeyRotation.Result result = KeyRotation.rewrap(db.dataSource(), cipher, BATCH);
                    if (!result.remainingByKey().isEmpty()) {
                        // Rows locked at that moment, or written by an instance that had not reloaded yet.
                        result = KeyRotation.rewrap(db.dataSource(), cipher, BATCH);
                    }
                    out.println("  re-wrapped " + result.rewrapped() + " data keys"
                            + (result.remainingByKey().isEmpty()
                                    ? "; every stored payload is under the current key" + " of its family ("
                                            + current(result.currentIds()) + ")"
                                    : "; still under older keys: " + result.remainingByKey() + " (run it again)"));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code victim-support mk-..., police-justice mk-...}. */
    private static String current(Map<Domain, String> ids) {
        return String.join(
                ", ",
                java.util.Arrays.stream(Domain.values())
                        .map(d -> d + " " + ids.get(d))
                        .toList());
    }

    @Command(
            name = "retire",
            mixinStandardHelpOptions = true,
            description =
                    "Removes an old master key, from the family whose file holds it, once no stored data key uses it.")
    static final class Retire extends ConfiguredCommand {
        @Parameters(paramLabel = "KEY_ID", description = "the key to remove, as `keys status` lists it")
        String keyId;

        @Override
        public Integer call() {
            GatewaySettings settings = settings();
            PrintWriter out = spec.commandLine().getOut();
            Map<Domain, Path> families = families(settings);
            Map.Entry<Domain, Path> family = families.entrySet().stream()
                    .filter(f -> MasterKeys.load(f.getValue()).key(keyId).isPresent())
                    .findFirst()
                    .orElseThrow(() -> new GatewayException(
                            ErrorCode.CONFIG_INVALID,
                            "no master key "
                                    + (keyId.matches("[A-Za-z0-9-]{1,24}")
                                            ? "'" + keyId + "'"
                                            : "<" + keyId.length() + " chars>")
                                    + " in "
                                    + String.join(
                                            " nor ",
                                            families.values().stream()
                                                    .map(Path::toString)
                                                    .toList()) + " (see `gateway keys status`)"));
            Path file = family.getValue();
            try (Database db = database()) {
                long used = KeyRotation.usage(db.dataSource()).getOrDefault(keyId, 0L);
                MasterKeys.load(file).retire(file, keyId, used);
            }
            out.println("keys retire: removed " + keyId + " from " + file + " (" + family.getKey() + ")");
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the master keys of each family, the current one, and how many stored payloads each wraps.")
    static final class Status extends ConfiguredCommand {

        @Override
        public Integer call() {
            GatewaySettings settings = settings();
            PrintWriter out = spec.commandLine().getOut();
            Map<Domain, MasterKeys> rings = new java.util.EnumMap<>(Domain.class);
            families(settings).forEach((d, file) -> rings.put(d, MasterKeys.load(file)));
            Optional<Map<String, Long>> usage = databaseIfFree(
                            settings, out, "payload counts are not available from here")
                    .map(db -> {
                        try (db) {
                            return KeyRotation.usage(db.dataSource());
                        }
                    });
            rings.forEach((d, keys) -> {
                out.println(d + " master keys in " + PayloadCipher.familyFile(settings.masterKeys(), d) + ":");
                for (String id : keys.ids()) {
                    out.println("  " + id + (id.equals(keys.currentId()) ? " (current)" : "")
                            + usage.map(u -> ": " + u.getOrDefault(id, 0L) + " stored payloads")
                                    .orElse(""));
                }
            });
            Path registerFile = RegisterKeys.beside(settings.masterKeys());
            if (Files.exists(registerFile)) {
                RegisterKeys register = RegisterKeys.open(registerFile, Clock.systemUTC());
                Optional<Map<String, Long>> tokens = databaseIfFree(
                                settings, out, "token counts are not available" + " from here")
                        .map(db -> {
                            try (db) {
                                return new ProtectionRegister(db.dataSource(), register, Clock.systemUTC())
                                        .tokenUsage();
                            }
                        });
                out.println("register keys in " + registerFile + ":");
                for (String id : register.ids()) {
                    out.println("  " + id + (id.equals(register.currentId()) ? " (current)" : "")
                            + tokens.map(u -> ": " + u.getOrDefault(id, 0L) + " register tokens")
                                    .orElse(""));
                }
            }
            out.flush();
            return 0;
        }
    }
}
