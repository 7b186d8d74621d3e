package fr.passerelle.server.cli;

import fr.passerelle.server.Gateway;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code gateway serve}: runs the gateway until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the gateway.")
final class ServeCommand extends ConfiguredCommand {

    @Override
    public Integer call() throws InterruptedException {
        Gateway gateway = Gateway.start(configFile(), GatewayCommand.Environment.get());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "passerelle-shutdown"));
        System.out.println("Passerelle is listening on https://" + gateway.deployment().settings().host() + ":"
                + gateway.port() + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
