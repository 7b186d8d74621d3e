package fr.passerelle.core.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Runs the {@code openssl} command line, each run bounded by a timeout; tests skip when it is absent. */
public final class OpenSsl {

    /** What one run exited with and printed, standard error included. */
    public record Result(int exitCode, String output) {}

    private OpenSsl() {}

    /** Skips the calling test when {@code openssl} is not on the {@code PATH}. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(onPath(), "openssl is not on the PATH");
    }

    /** Whether an executable {@code openssl} is on the {@code PATH}. */
    public static boolean onPath() {
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
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, new byte[0], args);
    }

    /**
     * Runs {@code openssl args} in {@code dir} with {@code input} on its standard input, then end of input;
     * standard error is merged into the output. {@code openssl s_client} sends that input to the server.
     */
    public static Result run(Path dir, byte[] input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(dir, input, command);
        return new Result(result.exitCode(), result.output());
    }

    /**
     * What {@code openssl asn1parse -inform DER} shows right after each {@code id-ecPublicKey} of {@code derFile}
     * (in {@code dir}): {@code prime256v1} for a key that names its curve, {@code SEQUENCE} for one that spells out
     * explicit parameters.
     */
    public static List<String> ecKeyCurves(Path dir, String derFile) throws IOException, InterruptedException {
        List<String> lines =
                ok(dir, "asn1parse", "-inform", "DER", "-in", derFile).lines().toList();
        List<String> curves = new ArrayList<>();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).endsWith(":id-ecPublicKey")) {
                String next = lines.get(i + 1);
                curves.add(next.substring(next.lastIndexOf(':') + 1).strip());
            }
        }
        return curves;
    }

    /** Runs {@code openssl args} and returns its output, failing the test if it exits with an error. */
    public static String ok(Path dir, String... args) throws IOException, InterruptedException {
        Result result = run(dir, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " exited with " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }
}
