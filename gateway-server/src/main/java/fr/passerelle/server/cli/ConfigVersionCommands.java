package fr.passerelle.server.cli;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.DevelopmentPins;
import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.VersionCheck;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.store.Database;
import fr.passerelle.server.Gateway;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The configuration versions from the command line, on the database that gateway.yaml (or
 * {@code GATEWAY_DATABASE_URL}) names; with the embedded database, the server of the gateway running on the data
 * folder when one runs. Changes are audited as {@code cli:<user>}.
 */
final class ConfigVersionCommands {
    /** {@code config diff}'s exit code when config/ differs from the current version. */
    static final int EXIT_DIFFERS = 3;

    private ConfigVersionCommands() {}

    /** A command on the versions: the database and the checks, opened per call. */
    abstract static class VersionCommand extends ConfiguredCommand {
        Path folder() {
            return configFile().toAbsolutePath().normalize().getParent();
        }

        /** config/'s versioned files as the gateway reads them, with the development pins of its PKI folder. */
        FileSet folderFiles() {
            return FileSet.read(folder(), DevelopmentPins.of(configFile(), GatewayCommand.Environment.get()));
        }

        VersionedConfig versioned(Database database) {
            Adapters adapters = Adapters.load();
            Map<String, String> env = GatewayCommand.Environment.get();
            return new VersionedConfig(
                    new ConfigVersions(database.dataSource()),
                    new VersionCheck(
                            configFile(),
                            env,
                            Gateway.checks(adapters, Gateway.validatorFor(configFile())),
                            Clock.systemDefaultZone()));
        }

        /** {@code cli:<user>}, the user named by the environment ({@code USER}) or the JVM. */
        static String actor() {
            String user = Optional.ofNullable(GatewayCommand.Environment.get().get("USER"))
                    .filter(u -> !u.isBlank())
                    .orElse(System.getProperty("user.name", "unknown"));
            String safe = user.replaceAll("[^A-Za-z0-9._@-]", "-");
            return "cli:" + (safe.length() > 100 ? safe.substring(0, 100) : safe);
        }

        void printOutcome(String command, VersionedConfig.Outcome outcome) {
            PrintWriter out = out();
            outcome.warnings().stream().map(ConfigProblem::toString).forEach(out::println);
            if (outcome.stored().isEmpty()) {
                out.println(command + ": no change: the files are those of version " + outcome.current());
            } else {
                VersionInfo stored = outcome.stored().get();
                out.println(command + ": version " + stored.number() + " is current"
                        + stored.parent().map(p -> " (was " + p + ")").orElse("")
                        + stored.restoredFrom()
                                .map(r -> ", with the files of version " + r)
                                .orElse("") + ": "
                        + outcome.diff().summary());
                out.println("  running gateways switch to it within seconds");
            }
            out.flush();
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description =
                    "Checks the files of config/ (partners, certificates, routes, admins) like `config check` and stores them as the next configuration version, which every running gateway switches to within seconds. Nothing is stored when a check fails (exit 1) or nothing changed.")
    static final class Apply extends VersionCommand {
        @Option(names = "--comment", paramLabel = "TEXT", description = "why (one line; no personal data)")
        String comment = "";

        @Override
        public Integer call() {
            try (Database database = database()) {
                printOutcome("config apply", versioned(database).apply(folderFiles(), folder(), actor(), comment));
            }
            return 0;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description =
                    "Shows what `config apply` would change: partners, routes and admins added, removed, changed, and each file's lines. Exits 0 when config/ is the current version, 3 when it differs.")
    static final class Diff extends VersionCommand {
        @Override
        public Integer call() {
            Optional<ConfigVersion> current;
            try (Database database = database()) {
                current = new ConfigVersions(database.dataSource()).latest();
            }
            ConfigDiff diff =
                    ConfigDiff.between(current.map(ConfigVersion::files).orElse(FileSet.of(Map.of())), folderFiles());
            PrintWriter out = out();
            String version = current.map(v -> "version " + v.number()).orElse("no version");
            if (diff.isEmpty()) {
                out.println("config diff: no change (config/ is " + version + ")");
                out.flush();
                return 0;
            }
            for (ConfigDiff.FileChange file : diff.files()) {
                out.println(
                        "--- " + (file.kind() == ConfigDiff.Kind.ADDED ? "/dev/null" : version + "/" + file.name()));
                out.println("+++ " + (file.kind() == ConfigDiff.Kind.REMOVED ? "/dev/null" : "config/" + file.name()));
                file.lines().forEach(out::println);
            }
            out.println("config diff: from " + version + " to config/: " + diff.summary());
            out.flush();
            return EXIT_DIFFERS;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Writes the current configuration version as files (partners/, routes.yaml, admins/) into DIR, to keep them in git. Refuses a DIR that is not empty, unless --force: then its configuration files become the version's, and other files (gateway.yaml, schemas) stay.")
    static final class Export extends VersionCommand {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to write")
        Path out;

        @Option(names = "--force", description = "write into a folder that is not empty")
        boolean force;

        @Override
        public Integer call() {
            if (!force && notEmpty(out)) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        out + " is not empty: choose an empty folder,"
                                + " or add --force to replace its configuration files (other files stay)");
            }
            ConfigVersion current;
            try (Database database = database()) {
                current = new ConfigVersions(database.dataSource())
                        .latest()
                        .orElseThrow(() -> new GatewayException(
                                ErrorCode.NOT_FOUND, "no configuration version yet: run `gateway config apply`"));
            }
            List<Path> written = current.files().write(out, force);
            out().println("config export: wrote version " + current.number() + " (" + written.size() + " files) to "
                    + out);
            out().flush();
            return 0;
        }

        private static boolean notEmpty(Path dir) {
            if (!Files.isDirectory(dir)) {
                return Files.exists(dir);
            }
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.findAny().isPresent();
            } catch (IOException e) {
                return true;
            }
        }
    }

    @Command(
            name = "versions",
            mixinStandardHelpOptions = true,
            description = "Lists the configuration versions, newest first: number, when, who, why.")
    static final class Versions extends VersionCommand {
        @Option(names = "--limit", paramLabel = "N", description = "how many (default: 20)")
        int limit = 20;

        @Override
        public Integer call() {
            List<VersionInfo> versions;
            OptionalInt current;
            try (Database database = database()) {
                ConfigVersions store = new ConfigVersions(database.dataSource());
                current = store.current();
                versions = store.list(Optional.empty(), limit);
            }
            PrintWriter out = out();
            if (versions.isEmpty()) {
                out.println("config versions: none yet (the first start, or `gateway config apply`, makes version 1)");
            }
            for (VersionInfo info : versions) {
                boolean isCurrent = current.isPresent() && current.getAsInt() == info.number();
                out.println((isCurrent ? "* " : "  ") + info.number() + "  " + info.appliedAt() + "  "
                        + info.appliedBy()
                        + info.restoredFrom()
                                .map(r -> "  (files of version " + r + ")")
                                .orElse("")
                        + (info.comment().isEmpty() ? "" : "  " + info.comment()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Makes the files of an earlier version the next version (history only grows), after the same checks as `config apply`.")
    static final class Rollback extends VersionCommand {
        @Option(names = "--to", paramLabel = "N", required = true, description = "the version to return to")
        int to;

        @Option(names = "--comment", paramLabel = "TEXT", description = "why (one line; no personal data)")
        String comment = "";

        @Override
        public Integer call() {
            try (Database database = database()) {
                printOutcome("config rollback", versioned(database).rollback(to, actor(), comment));
            }
            return 0;
        }
    }
}
