package fr.passerelle.server.cli;

import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.server.Gateway;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code gateway config check}: validates gateway.yaml, the partners and the routes. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand extends CommandGroup {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validates gateway.yaml, partners/ and routes.yaml; every problem names the file, the line and the fix. Exits 1 on any error.")
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
            report.deployment().ifPresent(d -> out.println("checked " + d.partners().size() + " partners and "
                    + d.routes().size() + " routes in " + where));
            out.println("config check: " + errors + (errors == 1 ? " error, " : " errors, ") + warnings
                    + (warnings == 1 ? " warning" : " warnings") + (errors == 0 ? " — OK" : " — fix the errors above"));
            out.flush();
            return errors == 0 ? 0 : GatewayCommand.EXIT_FAILED;
        }
    }
}
