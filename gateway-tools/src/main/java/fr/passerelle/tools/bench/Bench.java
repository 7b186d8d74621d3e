package fr.passerelle.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.store.Database;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.Gateway;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Measures the gateway and, in the same run on the same machine, the ceilings that bound it: the database (through
 * the store's code, and as plain JDBC), the cryptography (sealing for the same recipients on every core) and the
 * transport (a no-op endpoint behind the same mutual-TLS Netty pipeline).
 *
 * <p>By default the gateway runs in a JVM of its own ({@link GatewayProcess}) on a throw-away deployment and the
 * embedded PostgreSQL, and the load generator, the pulling recipients and the ceilings run in this one, so that
 * the gateway's CPU per referral is measured apart from its load's. With {@link Remote}, only the load runs,
 * against a gateway already running.
 */
public final class Bench {
    /** Sender and sample for a referral with 1, 2 or 3 recipients in the shipped deployment. */
    private static final Map<Integer, String[]> SHAPES = Map.of(
            1, new String[] {"police-75-brp", "victim.orientation"},
            2, new String[] {"association-974-kaz-lespwa", "exploitation.report"},
            3, new String[] {"association-75-amarante", "difficulty.report"});

    /**
     * What to run.
     *
     * @param warmup   seconds of load before anything is measured, so that the gateway is measured with its code
     *                 compiled, as the ceilings (which run after it, on the same code) are
     * @param runs     how many times the measured phases (max load, half load, ceilings) run, on the same gateway
     *                 after one warm-up
     * @param loadOnly the gateway to load instead of starting one
     */
    public record Options(
            int seconds,
            int warmup,
            int concurrency,
            int recipients,
            int runs,
            Optional<Path> out,
            Map<String, String> env,
            Optional<Remote> loadOnly) {
        public Options {
            if (seconds < 1 || seconds > 3600) {
                throw new GatewayException(ErrorCode.REQUEST_INVALID, "--seconds " + seconds + " (expected: 1-3600)");
            }
            if (warmup < 0 || warmup > 3600) {
                throw new GatewayException(ErrorCode.REQUEST_INVALID, "--warmup " + warmup + " (expected: 0-3600)");
            }
            if (concurrency < 1 || concurrency > 256) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID, "--concurrency " + concurrency + " (expected: 1-256)");
            }
            if (!SHAPES.containsKey(recipients)) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "--recipients " + recipients
                                + " (expected: 1, 2 or 3: the example deployment routes victim.orientation to one partner,"
                                + " exploitation.report in 974 to two, difficulty.report to three)");
            }
            if (runs < 1 || runs > 100) {
                throw new GatewayException(ErrorCode.REQUEST_INVALID, "--runs " + runs + " (expected: 1-100)");
            }
            env = Map.copyOf(env);
        }

        /** Half the measured phase: in a run of 20 s, C2 compiles the hot path within about 10 s on two cores. */
        public static int defaultWarmup(int seconds) {
            return Math.max(1, seconds / 2);
        }
    }

    /**
     * A gateway already running, to load from this process.
     *
     * @param base        its HTTPS address, such as {@code https://localhost:8443}
     * @param gatewayYaml its configuration: the samples, and the routes that say who pulls each referral
     * @param pki         the PKI folder that holds the partners' certificates ({@code partners/<id>.pem}) and the CA
     * @param pid         its process, to measure its CPU when it runs on this machine
     */
    public record Remote(URI base, Path gatewayYaml, Path pki, OptionalLong pid) {
        public Remote {
            if (!"https".equals(base.getScheme()) || base.getHost() == null) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "--load-only " + base + " (expected: the gateway's HTTPS address, such as"
                                + " https://localhost:8443)");
            }
        }
    }

    /** How long the pullers may take, after the max-load phase, to pull what it submitted. */
    private static final int DELIVERY_WAIT_SECONDS = 10;

    private final Options options;
    private final PrintStream out;

    private Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the benchmark; returns the results as the JSON that {@code --out} writes. */
    public static ObjectNode run(Options options, PrintStream out) throws IOException, InterruptedException {
        Bench bench = new Bench(options, out);
        if (options.loadOnly().isPresent()) {
            return bench.against(options.loadOnly().get());
        }
        Path work = Files.createTempDirectory("passerelle-bench-");
        try {
            return bench.withChild(work);
        } finally {
            delete(work);
        }
    }

    /** The throw-away deployment: its PKI's keys, its database. */
    private static void delete(Path work) {
        if (!Files.exists(work)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Deleted meanwhile by the gateway process's stop, or left for the system's temporary cleaner.
        }
    }

    /** What a measured run loads, and what it can see of the gateway. */
    private record Target(
            URI base,
            Path pki,
            Path samples,
            Optional<ProcessHandle> gateway,
            Optional<GatewayProcess> child,
            Optional<Ceilings> ceilings) {}

    private ObjectNode withChild(Path work) throws IOException, InterruptedException {
        // The bench measures the gateway, not its quotas: they are raised to their ceilings.
        DevelopmentDeployment.Workspace workspace =
                DevelopmentDeployment.prepare(work, options.env(), Bench::withoutQuotas);
        Map<String, String> env = new HashMap<>(workspace.env());
        env.put("GATEWAY_LOG_LEVEL", "warn");
        GatewaySettings settings = ConfigLoader.settings(workspace.gatewayYaml(), env);
        out.println("Starting the gateway in its own JVM (" + String.join(" ", gatewayJavaOptions()) + ") ...");
        try (GatewayProcess child = GatewayProcess.start(
                        workspace.gatewayYaml(),
                        settings.dataDir(),
                        env,
                        gatewayJavaOptions(),
                        work.resolve("gateway.log"),
                        () -> delete(work),
                        out);
                Database database = Database.openShared(forCeilings(settings.database()), settings.dataDir())) {
            Deployment deployment = deployment(workspace.gatewayYaml(), env);
            Ceilings ceilings = new Ceilings(database.dataSource(), settings.masterKeys(), deployment, workspace.pki());
            out.println("  gateway process " + child.pid() + " listening on " + child.base() + "; "
                    + database.description());
            return measure(new Target(
                    child.base(),
                    workspace.pki(),
                    workspace.config().resolve("samples"),
                    ProcessHandle.of(child.pid()),
                    Optional.of(child),
                    Optional.of(ceilings)));
        }
    }

    private ObjectNode against(Remote remote) throws IOException, InterruptedException {
        Optional<ProcessHandle> gateway = Optional.empty();
        if (remote.pid().isPresent()) {
            gateway = ProcessHandle.of(remote.pid().getAsLong());
            if (gateway.isEmpty()) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "--gateway-pid " + remote.pid().getAsLong() + ": no such process on this machine (expected:"
                                + " the process id of the running gateway, or no --gateway-pid)");
            }
        }
        FirstSubmission.requireCertificate(remote.pki(), SHAPES.get(options.recipients())[0]);
        return measure(new Target(
                remote.base(),
                remote.pki(),
                remote.gatewayYaml().toAbsolutePath().getParent().resolve("samples"),
                gateway,
                Optional.empty(),
                Optional.empty()));
    }

    private ObjectNode measure(Target target) throws IOException, InterruptedException {
        String sender = SHAPES.get(options.recipients())[0];
        String type = SHAPES.get(options.recipients())[1];
        Path samplePath = target.samples().resolve(type + ".json");
        if (!Files.isRegularFile(samplePath)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "no sample " + samplePath + " (expected: the samples/ folder beside gateway.yaml, as config/ has"
                            + " it; --config names the running gateway's gateway.yaml)");
        }
        byte[] sample = Files.readAllBytes(samplePath);
        List<String> recipients = FirstSubmission.recipients(
                PartnerClient.forPartner(sender, target.pki(), target.base()), target.base(), target.pki(), sample);
        out.printf(
                Locale.ROOT,
                "Passerelle bench: %s from %s to %s, %d clients, %d run(s) of %d s after %d s of"
                        + " warm-up, against %s%n",
                type,
                sender,
                String.join(" and ", recipients),
                options.concurrency(),
                options.runs(),
                options.seconds(),
                options.warmup(),
                target.child().isPresent() ? "the gateway process" : target.base());
        LoadGenerator load = new LoadGenerator(
                () -> PartnerClient.forPartner(sender, target.pki(), target.base()),
                "/v1/referrals",
                sample,
                "application/json",
                202);
        Pullers pullers = new Pullers(recipients, target.pki(), target.base());
        HeapSampler heap = new HeapSampler();
        List<ObjectNode> runs = new ArrayList<>();
        pullers.start();
        try {
            if (options.warmup() > 0) {
                Progress warmup = new Progress("warm-up", load, pullers, out);
                load.run(options.concurrency(), options.warmup(), 0);
                warmup.stop();
            }
            for (int i = 1; i <= options.runs(); i++) {
                String run = options.runs() == 1 ? "" : "run " + i + "/" + options.runs() + ", ";
                runs.add(measuredRun(target, run, load, pullers, recipients, sender, sample));
            }
        } finally {
            pullers.stop();
            heap.stop();
        }
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("mode", target.child().isPresent() ? "gateway_process" : "load_only");
        result.set("runs", Json.MAPPER.valueToTree(runs));
        Report report = new Report(runs, out);
        result.set("range", report.ranges());
        result.put("load_heap_peak_mb", Report.round(heap.peak() / 1048576.0));
        ObjectNode machine = result.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("load_max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576);
        ObjectNode settings = result.putObject("settings");
        settings.put("seconds", options.seconds());
        settings.put("warmup_seconds", options.warmup());
        settings.put("concurrency", options.concurrency());
        settings.put("recipients", recipients.size());
        settings.put("type", type);
        settings.put("runs", options.runs());
        target.child().ifPresent(c -> settings.put("gateway_java_options", String.join(" ", gatewayJavaOptions())));
        report.print(target.ceilings().isPresent());
        if (options.out().isPresent()) {
            Path parent = options.out().get().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(
                    options.out().get(),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
            out.println("Results written to " + options.out().get());
        }
        return result;
    }

    /** Max load, then half of it, then the ceilings: one run's figures. */
    private ObjectNode measuredRun(
            Target target,
            String run,
            LoadGenerator load,
            Pullers pullers,
            List<String> recipients,
            String sender,
            byte[] sample)
            throws InterruptedException {
        Pullers.Window window = pullers.open(Instant.now());
        CpuSnapshot cpuBefore = CpuSnapshot.take(target.gateway(), target.child());
        Progress progress = new Progress(run + "max load", load, pullers, out);
        LoadGenerator.Run max = load.run(options.concurrency(), options.seconds(), 0);
        CpuSnapshot cpuAfter = CpuSnapshot.take(target.gateway(), target.child());
        progress.stop();
        if (!window.awaitDelivered(max.requests(), DELIVERY_WAIT_SECONDS)) {
            out.printf(
                    Locale.ROOT,
                    "  [%smax load] %d of %d referrals reached all their recipients within %d s of the end of the"
                            + " load; the delivered rate counts those%n",
                    run,
                    window.fullyDelivered(),
                    max.requests(),
                    DELIVERY_WAIT_SECONDS);
        }
        pullers.close();

        Progress halfProgress = new Progress(run + "half load", load, pullers, out);
        LoadGenerator.Run half =
                load.run(options.concurrency(), Math.max(1, options.seconds() / 2.0), max.perSecond() / 2);
        halfProgress.stop();

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("accepted_per_s", Report.round(max.perSecond()));
        result.put("delivered_per_s", Report.round(window.deliveredPerSecond()));
        Report.latency(result.putObject("submit_latency_ms"), max.latency());
        Report.latency(result.putObject("delivery_latency_ms"), window.latency());
        ObjectNode halfNode = result.putObject("half_load");
        halfNode.put("rate_per_s", Report.round(half.perSecond()));
        Report.latency(halfNode.putObject("submit_latency_ms"), half.latency());
        result.put("errors", max.errors() + half.errors());
        ObjectNode statuses = result.putObject("errors_by_status");
        max.errorStatuses().forEach((status, n) -> statuses.put(status.toString(), n));
        half.errorStatuses()
                .forEach((status, n) -> statuses.put(
                        status.toString(), statuses.path(status.toString()).asLong() + n));
        CpuSnapshot.PerReferral cpu = cpuAfter.since(cpuBefore, max.requests());
        ObjectNode cpuNode = result.putObject("cpu_ms_per_referral");
        cpu.gateway().ifPresent(ms -> cpuNode.put("gateway_process", Report.round(ms)));
        cpu.postgres().ifPresent(ms -> cpuNode.put("postgresql", Report.round(ms)));
        cpuNode.put("load_process", Report.round(cpu.load()));
        cpu.machine().ifPresent(ms -> cpuNode.put("machine", Report.round(ms)));
        target.gateway()
                .flatMap(g -> {
                    OptionalLong kb = GatewayProcess.peakRssKb(g.pid());
                    return kb.isPresent() ? Optional.of(kb.getAsLong()) : Optional.empty();
                })
                .ifPresent(kb -> result.put("gateway_rss_peak_mb", Report.round(kb / 1024.0)));

        if (target.ceilings().isPresent()) {
            double seconds = Math.max(1, options.seconds() / 3.0);
            out.printf(
                    Locale.ROOT,
                    "  [%sceilings] database via the store, database physical, crypto, transport (%.0f s each) ...%n",
                    run,
                    seconds);
            ObjectNode ceilings = result.putObject("ceilings");
            target.ceilings().get().measure(ceilings, recipients, sender, sample, options.concurrency(), seconds);
            double smallest = Math.min(
                    ceilings.path("database_store_per_s").asDouble(),
                    Math.min(
                            ceilings.path("crypto_per_s").asDouble(),
                            ceilings.path("transport_per_s").asDouble()));
            result.put("ratio", Report.round2(max.perSecond() / smallest));
            result.put(
                    "ratio_to_combined",
                    Report.round2(
                            max.perSecond() / ceilings.path("combined_per_s").asDouble()));
        }
        return result;
    }

    /** The gateway's JVM options: {@code GATEWAY_BENCH_GATEWAY_OPTS}, or the launcher's default heap. */
    private List<String> gatewayJavaOptions() {
        String opts = options.env()
                .getOrDefault("GATEWAY_BENCH_GATEWAY_OPTS", "-Xmx512m")
                .strip();
        return opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+"));
    }

    /** The gateway's database settings, with a pool large enough for the ceilings' clients. */
    private DatabaseSettings forCeilings(DatabaseSettings settings) {
        return new DatabaseSettings(
                settings.url(),
                settings.user(),
                settings.password(),
                Math.max(options.concurrency(), PhysicalDatabaseCeiling.CLIENTS) + 2);
    }

    private static Deployment deployment(Path gatewayYaml, Map<String, String> env) {
        return ConfigLoader.load(gatewayYaml, env, Gateway.checks(Adapters.load(), Gateway.validatorFor(gatewayYaml)));
    }

    /** Raises gateway.yaml's per-partner quotas to their ceilings. */
    private static void withoutQuotas(Path config) {
        Path file = config.resolve("gateway.yaml");
        try {
            String yaml = Files.readString(file)
                    .replaceAll("(?m)^(  submissions_per_second:) .*$", "$1 100000")
                    .replaceAll("(?m)^(  submission_burst:) .*$", "$1 1000000")
                    .replaceAll("(?m)^(  requests_per_second:) .*$", "$1 100000")
                    .replaceAll("(?m)^(  request_burst:) .*$", "$1 1000000")
                    .replaceAll("(?m)^(  submissions_per_day:) .*$", "$1 100000000")
                    // Every load client connects from this host: the per-address cap would measure itself.
                    .replaceAll("(?m)^(  max_connections_per_address:) .*$", "$1 2048");
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
