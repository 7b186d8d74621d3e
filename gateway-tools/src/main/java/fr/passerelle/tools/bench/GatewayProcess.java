package fr.passerelle.tools.bench;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway in a JVM of its own: {@code serve} of this launcher's class path (the tools jar, with the embedded
 * PostgreSQL), so that its CPU is measured apart from the load's. Killed on {@link #close()}, and by a shutdown
 * hook when this JVM stops first (Ctrl-C, a failure); the PostgreSQL processes it started go with it.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Passerelle is listening on https://[^:\\s]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);

    private final Process process;
    private final Path log;
    private final Path dataDir;
    private final Runnable afterStop;
    private final Thread hook;
    private volatile int port;

    private GatewayProcess(Process process, Path log, Path dataDir, Runnable afterStop) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.afterStop = afterStop;
        this.hook = new Thread(this::stop, "bench-gateway-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts {@code serve --config gatewayYaml} with {@code env} added to this process's environment, its output in
     * {@code log}, and waits until it listens.
     *
     * @param dataDir     the data folder of gateway.yaml, where the embedded PostgreSQL keeps its files
     * @param afterStop   what to do once it has stopped, such as deleting its files, also when this JVM is stopped
     * @param progress    where to say, every 15 s, that it is still starting
     * @param javaOptions the child JVM's options, such as {@code -Xmx512m}
     * @throws GatewayException {@code unavailable} when it exits or does not listen within 3 minutes, with the
     *                          last lines of its log
     */
    static GatewayProcess start(
            Path gatewayYaml,
            Path dataDir,
            Map<String, String> env,
            List<String> javaOptions,
            Path log,
            Runnable afterStop,
            PrintStream progress)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("fr.passerelle.server.cli.GatewayCommand");
        command.add("serve");
        command.add("--config");
        command.add(gatewayYaml.toString());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        GatewayProcess gateway = new GatewayProcess(builder.start(), log, dataDir, afterStop);
        try {
            gateway.awaitListening(progress);
            return gateway;
        } catch (GatewayException | InterruptedException e) {
            gateway.close();
            throw e;
        }
    }

    private void awaitListening(PrintStream progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + START_TIMEOUT.toNanos();
        long nextProgress = start + PROGRESS_INTERVAL.toNanos();
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextProgress) {
                progress.println("  the gateway process is still starting after "
                        + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                        + " s (a fresh PostgreSQL cluster, then the schema) ...");
                nextProgress += PROGRESS_INTERVAL.toNanos();
            }
            Matcher matcher = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
                return;
            }
            if (!process.isAlive()) {
                throw new GatewayException(
                        ErrorCode.UNAVAILABLE,
                        "the gateway process exited with status " + process.exitValue() + " before listening; the"
                                + " end of its log:\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new GatewayException(
                ErrorCode.UNAVAILABLE,
                "the gateway process did not listen within " + START_TIMEOUT.toMinutes() + " minutes; the end of its"
                        + " log:\n" + tail());
    }

    /** The last lines of the child's output: the gateway logs identifiers only. */
    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    URI base() {
        return URI.create("https://localhost:" + port);
    }

    long pid() {
        return process.pid();
    }

    /** The CPU time the gateway's JVM has used so far, all threads; PostgreSQL's processes are not counted. */
    static Duration cpu(ProcessHandle process) {
        return process.info()
                .totalCpuDuration()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.UNAVAILABLE,
                        "the CPU time of process " + process.pid() + " cannot be read on this system"));
    }

    Duration cpu() {
        return cpu(process.toHandle());
    }

    /**
     * The CPU time the embedded PostgreSQL has used so far: its server process and the backends it forked that are
     * still running (the gateway's pool keeps them); empty with a database of its own ({@code database.url}).
     */
    Optional<Duration> postgresCpu() {
        return postgres().map(server -> server.descendants()
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(server.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus));
    }

    /** The embedded PostgreSQL's server process, as its {@code postmaster.pid} names it, if it runs. */
    private Optional<ProcessHandle> postgres() {
        if (!Files.isDirectory(dataDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(dataDir, 3, (p, a) -> p.endsWith("postmaster.pid"))) {
            for (Path pidFile : files.toList()) {
                String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII)
                        .get(0)
                        .strip();
                Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(first))
                        .filter(p -> p.info()
                                .command()
                                .map(c -> c.contains("postgres"))
                                .orElse(false));
                if (server.isPresent()) {
                    return server;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Stopping, or not started yet: no figure.
        }
        return Optional.empty();
    }

    /** The peak resident memory of a process, in kB, where the system says it ({@code /proc}, Linux). */
    static OptionalLong peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process is gone: the figure is left out.
        }
        return OptionalLong.empty();
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // A gateway killed before its shutdown hook stopped PostgreSQL (pg_ctl detaches it) leaves it running.
        postgres().ifPresent(server -> {
            // SIGTERM: PostgreSQL's smart shutdown, which waits for the sessions still open, if any.
            server.destroy();
            try {
                server.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                server.destroyForcibly();
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        });
        afterStop.run();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // This JVM is shutting down: the hook runs, or ran, stop() anyway.
        }
    }
}
