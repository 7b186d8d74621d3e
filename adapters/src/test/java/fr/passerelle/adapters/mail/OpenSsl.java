package fr.passerelle.adapters.mail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code openssl} command line, each run bounded by a timeout; tests skip when it is absent. A copy of
 * the core tests' helper: test classes are not shared between modules.
 */
final class OpenSsl {
    private static final long TIMEOUT_SECONDS = 30;

    record Result(int exitCode, String output) {
    }

    private OpenSsl() {
    }

    static void assumeAvailable() {
        Assumptions.assumeTrue(onPath(), "openssl is not on the PATH");
    }

    private static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code openssl args} in {@code dir}, standard error merged into the output. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        // Output to a file, not a pipe, so that a talkative openssl never blocks on a full pipe.
        Path output = Files.createTempFile("openssl-", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            // Nothing to say: closing stdin keeps openssl from waiting for a passphrase or input.
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " did not end within "
                        + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Runs {@code openssl args} and returns its output, failing the test if it exits with an error. */
    static String ok(Path dir, String... args) throws IOException, InterruptedException {
        Result result = run(dir, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " exited with " + result.exitCode()
                    + ":\n" + result.output());
        }
        return result.output();
    }
}
