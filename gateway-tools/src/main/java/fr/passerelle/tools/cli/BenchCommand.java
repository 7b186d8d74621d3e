package fr.passerelle.tools.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import fr.passerelle.server.cli.GatewayCommand;
import fr.passerelle.tools.bench.Bench;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway bench}: throughput and latency against the ceilings measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Starts the gateway on embedded defaults (or GATEWAY_DATABASE_URL), loads it with submissions over mutual TLS while the recipients pull, then measures the database, crypto and transport ceilings in the same run and prints the ratio. Not part of the tests.")
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--seconds",
            defaultValue = "20",
            description =
                    "length of the max-load phase (default: ${DEFAULT-VALUE}); the whole run takes about 3 times that")
    int seconds;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            description =
                    "seconds of load before the measured phase, so that the gateway runs compiled code as the ceilings do (default: half of --seconds)")
    Integer warmup;

    @Option(
            names = "--concurrency",
            defaultValue = "8",
            description = "concurrent clients, each with its keep-alive connection (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(
            names = "--recipients",
            defaultValue = "1",
            description = "recipients per referral: 1, 2 or 3 (default: ${DEFAULT-VALUE})")
    int recipients;

    @Option(names = "--out", paramLabel = "FILE", description = "write the results as JSON")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ((Logger) LoggerFactory.getLogger("fr.passerelle")).setLevel(Level.WARN);
        int warmupSeconds = warmup == null ? Bench.Options.defaultWarmup(seconds) : warmup;
        Bench.run(
                new Bench.Options(
                        seconds,
                        warmupSeconds,
                        concurrency,
                        recipients,
                        Optional.ofNullable(out),
                        GatewayCommand.Environment.get()),
                System.out);
        return 0;
    }
}
