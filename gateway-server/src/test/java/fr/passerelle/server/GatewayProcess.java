package fr.passerelle.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * {@code gateway serve} in a process of its own, started from this JVM's class path, its output (the gateway's
 * log lines: identifiers only) written to a file. Stopped the way an operator or the kernel does it: SIGTERM or
 * SIGKILL.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern MANAGEMENT =
            Pattern.compile("Probes and metrics served on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern LISTENING = Pattern.compile("Passerelle is listening on https://[^:\\s]+:(\\d+)");

    private final Process process;
    private final Path output;
    private final int port;

    private GatewayProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Runs {@code gateway serve --config gatewayYaml} with {@code env} added to this process's environment, and
     * waits until it listens.
     */
    static GatewayProcess start(Path gatewayYaml, Map<String, String> env, Path output, Duration timeout)
            throws IOException, InterruptedException {
        return start(List.of(), System.getProperty("java.class.path"), gatewayYaml, env, output, timeout);
    }

    /**
     * As {@link #start(Path, Map, Path, Duration)}, on {@code classpath}, the command line put after
     * {@code launcher} (such as {@code setpriv --reuid=...}, which runs it as another user).
     */
    static GatewayProcess start(
            List<String> launcher,
            String classpath,
            Path gatewayYaml,
            Map<String, String> env,
            Path output,
            Duration timeout)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                "fr.passerelle.server.cli.GatewayCommand",
                "serve",
                "--config",
                gatewayYaml.toString()));
        return startCommand(command, env, output, timeout);
    }

    /** Runs {@code command} with {@code env} added to this process's environment, and waits until it listens. */
    static GatewayProcess startCommand(List<String> command, Map<String, String> env, Path output, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("GATEWAY_CONFIG");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            int port = await("gateway serve listening")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("gateway serve exited before listening", () -> !process.isAlive())
                    .until(() -> listeningPort(output), Optional::isPresent)
                    .orElseThrow();
            return new GatewayProcess(process, output, port);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(e.getMessage() + ":\n" + tail(output), e);
        }
    }

    /** {@code GET /readyz} on the management listener, whose port the log line that announces it gives. */
    java.net.http.HttpResponse<String> readyz() throws IOException, InterruptedException {
        Matcher management = MANAGEMENT.matcher(output());
        if (!management.find()) {
            throw new AssertionError("no management listener in the output:\n" + tail(output));
        }
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + management.group(1) + "/readyz"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    URI base() {
        return URI.create("https://localhost:" + port);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the process ends at once, with whatever it held in flight. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGKILL if it still runs: a failed test leaves no gateway behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM: the process runs its shutdown hook. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code, or empty if it still runs after {@code timeout}. */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** Waits until {@code condition} holds, failing at once if the gateway exits, with its output. */
    void awaitWhileAlive(String what, Duration atMost, Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("the gateway exited", () -> !process.isAlive())
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; gateway output:\n" + tail(), e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process's output so far. */
    String output() {
        return read(output);
    }

    /** The last lines of the output, for a failure message. */
    static String tail(Path output) {
        List<String> lines = read(output).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The output as written so far: a character cut in the middle of being written reads as a replacement. */
    private static Optional<Integer> listeningPort(Path output) {
        Matcher matcher = LISTENING.matcher(read(output));
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    private static String read(Path output) {
        try {
            return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tail() {
        return tail(output);
    }
}
