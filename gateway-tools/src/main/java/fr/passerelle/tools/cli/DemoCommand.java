package fr.passerelle.tools.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import fr.passerelle.server.cli.GatewayCommand;
import fr.passerelle.tools.demo.Demo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway demo}: the whole story on embedded defaults. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Runs the whole story on embedded defaults: PKI, database, gateway, the example partners as HTTPS clients, one referral of every type, inbox pulls, receipts, status and audit. Exits 0 only if every step worked.")
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--keep",
            paramLabel = "DIR",
            description = "leave the PKI, the configuration and what each partner received in DIR (new or empty)")
    Path keep;

    @Option(names = "--verbose", description = "show the gateway's own log lines as well")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (verbose) {
            ((Logger) LoggerFactory.getLogger("fr.passerelle")).setLevel(Level.INFO);
        }
        return Demo.run(Optional.ofNullable(keep), GatewayCommand.Environment.get(), System.out);
    }
}
