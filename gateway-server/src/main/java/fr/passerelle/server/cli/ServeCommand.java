package fr.passerelle.server.cli;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.server.Gateway;
import fr.passerelle.server.lifecycle.Logs;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code gateway serve}: runs the gateway until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the gateway.")
final class ServeCommand extends ConfiguredCommand {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Override
    public Integer call() throws InterruptedException {
        GatewaySettings settings = settings();
        Logs.apply(settings.logging());
        if (settings.database().url().isEmpty()) {
            log.warn(
                    "The embedded PostgreSQL in {} is for trials and small sites: a production deployment should"
                            + " use a managed PostgreSQL (backups, replication, monitoring). Set database.url, database.user"
                            + " and database.password in {} (or GATEWAY_DATABASE_URL, GATEWAY_DATABASE_USER,"
                            + " GATEWAY_DATABASE_PASSWORD); docs/DATABASE.md says how to move the data",
                    settings.dataDir().resolve("postgres"),
                    configFile());
        }
        Gateway gateway = Gateway.start(configFile(), GatewayCommand.Environment.get());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "passerelle-shutdown"));
        System.out.println("Passerelle is listening on https://"
                + gateway.deployment().settings().host() + ":" + gateway.port() + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
