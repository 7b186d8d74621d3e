package fr.passerelle.tools.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.server.cli.GatewayCommand;
import fr.passerelle.tools.bench.Bench;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway bench}: throughput and latency against the ceilings measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Starts the gateway in a JVM of its own on embedded defaults (or GATEWAY_DATABASE_URL), loads it from this one with submissions over mutual TLS while the recipients pull, then measures the database, crypto and transport ceilings and prints the ratio, with the gateway process's CPU per referral. With --load-only URL, loads a gateway already running instead. Not part of the tests.")
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--seconds",
            defaultValue = "20",
            description =
                    "length of the max-load phase (default: ${DEFAULT-VALUE}); a run takes about 3 times that, after the warm-up")
    int seconds;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            description =
                    "seconds of load before the measured phases, so that the gateway runs compiled code as the ceilings do (default: half of --seconds)")
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

    @Option(
            names = "--runs",
            defaultValue = "1",
            description =
                    "measured runs after one warm-up, on the same gateway; each figure is printed as its range over them (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "write the results, every run's, as JSON (default: bench-results/bench-<UTC time>.json)")
    Path out;

    @Option(
            names = "--load-only",
            paramLabel = "URL",
            description =
                    "load the gateway already running at URL (such as https://localhost:8443) instead of starting one; no ceilings. A trial or development gateway only: the bench submits sample referrals and pulls the recipients' inboxes")
    URI loadOnly;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "with --load-only: the running gateway's gateway.yaml, for its samples and routes (default: $GATEWAY_CONFIG or config/gateway.yaml)")
    Path config;

    @Option(
            names = "--pki",
            paramLabel = "DIR",
            description =
                    "with --load-only: the PKI folder of the running gateway, with the partners' certificates (default: pki.dir of --config, as `pki init` writes it)")
    Path pki;

    @Option(
            names = "--gateway-pid",
            paramLabel = "PID",
            description = "with --load-only: the running gateway's process id, to report its CPU per referral")
    Long gatewayPid;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ((Logger) LoggerFactory.getLogger("fr.passerelle")).setLevel(Level.WARN);
        Map<String, String> env = GatewayCommand.Environment.get();
        if (loadOnly == null && (config != null || pki != null || gatewayPid != null)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "--config, --pki and --gateway-pid go with --load-only URL (expected: --load-only, or none of"
                            + " them: the bench then starts its own gateway)");
        }
        Optional<Bench.Remote> remote = Optional.empty();
        if (loadOnly != null) {
            Path gatewayYaml = config != null ? config : defaultConfig(env);
            if (!Files.isRegularFile(gatewayYaml)) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "--config " + gatewayYaml + ": no such file (expected: the running gateway's gateway.yaml)");
            }
            Path pkiDir =
                    pki != null ? pki : ConfigLoader.settings(gatewayYaml, env).pkiDir();
            remote = Optional.of(new Bench.Remote(
                    loadOnly,
                    gatewayYaml,
                    pkiDir,
                    gatewayPid == null ? OptionalLong.empty() : OptionalLong.of(gatewayPid)));
        }
        int warmupSeconds = warmup == null ? Bench.Options.defaultWarmup(seconds) : warmup;
        Bench.run(
                new Bench.Options(
                        seconds,
                        warmupSeconds,
                        concurrency,
                        recipients,
                        runs,
                        Optional.of(out != null ? out : defaultOut()),
                        env,
                        remote),
                System.out);
        return 0;
    }

    /** Where a run's JSON goes unless --out says: one file per run, never overwritten by the next. */
    private static Path defaultOut() {
        String at = java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        return Path.of("bench-results", "bench-" + at + ".json");
    }

    /** As the server's commands: {@code GATEWAY_CONFIG}, else {@code config/gateway.yaml}. */
    private static Path defaultConfig(Map<String, String> env) {
        String fromEnv = env.get("GATEWAY_CONFIG");
        return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "config/gateway.yaml");
    }
}
