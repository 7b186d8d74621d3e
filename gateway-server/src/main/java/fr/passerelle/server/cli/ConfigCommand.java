package fr.passerelle.server.cli;

import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.server.Gateway;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * {@code gateway config}: {@code check} validates the files of config/; {@code apply}, {@code diff},
 * {@code export}, {@code versions} and {@code rollback} work on the configuration versions in the database (see
 * {@link ConfigVersionCommands}).
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Configuration tools.",
        subcommands = {
            ConfigCommand.Check.class,
            ConfigVersionCommands.Apply.class,
            ConfigVersionCommands.Diff.class,
            ConfigVersionCommands.Export.class,
            ConfigVersionCommands.Versions.class,
            ConfigVersionCommands.Rollback.class
        })
final class ConfigCommand extends CommandGroup {

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validates gateway.yaml, partners/ and routes.yaml; every problem names the file, the line and the fix. Exits 1 on any error.")
    static final class Check extends ConfiguredCommand {

        @Override
        public Integer call() {
            Path file = configFile();
            ConfigReport report = Gateway.check(file, GatewayCommand.Environment.get());
            PrintWriter out = spec.commandLine().getOut();
            for (ConfigProblem problem : report.problems()) {
                out.println(problem);
            }
            int errors = report.errors().size();
            int warnings = report.warnings().size();
            String where = file.toAbsolutePath().normalize().getParent().toString();
            report.deployment()
                    .ifPresent(d -> out.println("checked " + d.partners().size() + " partners and "
                            + d.routes().size() + " routes in " + where));
            out.println("config check: " + errors + (errors == 1 ? " error, " : " errors, ") + warnings
                    + (warnings == 1 ? " warning" : " warnings") + (errors == 0 ? " — OK" : " — fix the errors above"));
            out.flush();
            return errors == 0 ? 0 : GatewayCommand.EXIT_FAILED;
        }
    }
}
