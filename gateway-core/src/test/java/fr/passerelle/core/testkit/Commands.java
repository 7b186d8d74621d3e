package fr.passerelle.core.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program of the machine for a test (openssl, pk12util, promtool, systemd-analyze, tar...), bounded by a
 * timeout, its standard error merged into its output.
 */
public final class Commands {
    private static final long TIMEOUT_SECONDS = 120;

    /** What one run exited with and printed, standard error included. */
    public record Result(int exitCode, String output) {}

    private Commands() {}

    /** Runs {@code command} in the current folder, with no input. */
    public static Result run(String... command) throws IOException, InterruptedException {
        return run(Path.of("."), new byte[0], List.of(command));
    }

    /** As {@link #run(String...)}, failing the test unless the program exits with 0; returns its output. */
    public static String ok(String... command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /**
     * Runs {@code command} in {@code dir} with {@code input} on its standard input, then end of input. The output
     * goes to a file, not a pipe, so that a talkative program never blocks on a full pipe.
     *
     * @throws AssertionError when it does not end within the timeout
     */
    public static Result run(Path dir, byte[] input, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("command-", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            // Closing stdin after the input keeps a program from waiting for a passphrase or more input.
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // The program may already have quit (openssl s_client on a refused handshake); its output says why.
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
