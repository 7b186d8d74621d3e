package fr.passerelle.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The fictitious sample referrals of {@code config/samples}, read from the repository root. */
final class Samples {
    /** The directory of the samples, relative to the working directory, which {@code scripts/jmh} sets. */
    static final Path DIR = Path.of("config", "samples");

    private Samples() {}

    /** The bytes of {@code config/samples/<name>}. */
    static byte[] read(String name) throws IOException {
        Path file = DIR.resolve(name);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(
                    file.toAbsolutePath().toString(),
                    null,
                    "sample not found (expected: run from the repository root, as scripts/jmh does)");
        }
    }
}
