package fr.passerelle.server.cli;

import fr.passerelle.core.GatewayException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gateway}: the command line of Passerelle. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        version = "Passerelle 0.1.0",
        description =
                "Passerelle: the secure gateway for referrals between police, associations, SIAO and prefectures.",
        subcommands = {
            ServeCommand.class,
            KeysCommand.class,
            PkiCommand.class,
            AuditCommand.class,
            ConfigCommand.class,
            RoutesCommand.class,
            StatsCommand.class,
            PurgeCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GatewayCommand extends CommandGroup {
    static final int EXIT_FAILED = 1;

    public static void main(String[] args) {
        System.exit(execute(System.getenv(), args));
    }

    /** Runs a command line; returns its exit code. Errors are printed as one clear paragraph, never a trace. */
    public static int execute(Map<String, String> env, String... args) {
        return execute(env, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(Map, String...)}, printing to the given writers. */
    public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new GatewayCommand());
        for (CommandExtension extension : ServiceLoader.load(CommandExtension.class)) {
            extension.commands().forEach(command -> add(commandLine, new CommandLine(command)));
        }
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter errors = cmd.getErr();
            if (e instanceof GatewayException ge) {
                errors.println("error: " + ge.code().code() + ": " + ge.getMessage());
                ge.details().forEach(line -> errors.println("  " + line));
            } else {
                errors.println("error: " + e);
            }
            errors.flush();
            return EXIT_FAILED;
        });
        Environment.set(env);
        if (args.length == 0 || !args[0].equals("serve")) {
            // Tools print their own results; the gateway's log lines are for the server.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("fr.passerelle"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        return commandLine.execute(args);
    }

    /**
     * Adds an extension's command; one named as an existing group ({@code pki}) adds its subcommands to that group
     * instead ({@code pki init} beside {@code pki issue}).
     */
    private static void add(CommandLine gateway, CommandLine command) {
        CommandLine group = gateway.getSubcommands().get(command.getCommandName());
        if (group == null) {
            gateway.addSubcommand(command);
        } else {
            command.getSubcommands().forEach(group::addSubcommand);
        }
    }

    /** The environment the commands read, so that tests can pass their own. */
    public static final class Environment {
        private Environment() {}

        private static volatile Map<String, String> current = System.getenv();

        static void set(Map<String, String> env) {
            current = Map.copyOf(env);
        }

        public static Map<String, String> get() {
            return current;
        }

        /** {@code --config}, else {@code GATEWAY_CONFIG}, else {@code config/gateway.yaml}. */
        static Path configFile(Path option) {
            if (option != null) {
                return option;
            }
            String fromEnv = current.get("GATEWAY_CONFIG");
            return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "config/gateway.yaml");
        }
    }
}
