package fr.passerelle.core.store;

import fr.passerelle.core.keys.PayloadCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Master key files for tests: each in its own temporary folder, removed when the JVM exits. */
public final class TestKeys {
    private static PayloadCipher shared;

    private TestKeys() {}

    /** A cipher over a fresh key file, shared by the tests that do not change their keys. */
    public static synchronized PayloadCipher cipher() {
        if (shared == null) {
            shared = new PayloadCipher(newKeyFile());
        }
        return shared;
    }

    /** A new victim-support key file holding one key, with the police-justice family beside it. */
    public static Path newKeyFile() {
        Path dir;
        try {
            dir = Files.createTempDirectory("passerelle-test-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = dir.resolve("master.keys");
        PayloadCipher.ensureFamilies(file, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAll(dir), "test-keys-remover"));
        return file;
    }

    private static void deleteAll(Path dir) {
        try (var files = Files.list(dir)) {
            // The key files sit side by side: the folder holds no sub-folder.
            files.forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dir.toFile().delete();
    }
}
