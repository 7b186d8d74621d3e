package fr.passerelle.core.store;

import fr.passerelle.core.keys.PayloadCipher;
import java.nio.file.Path;
import java.time.Clock;

/** Master key files for tests: each in its own temporary folder, removed when the JVM exits. */
public final class TestKeys {
    private static PayloadCipher shared;

    private TestKeys() {
    }

    /** A cipher over a fresh key file, shared by the tests that do not change their keys. */
    public static synchronized PayloadCipher cipher() {
        if (shared == null) {
            shared = new PayloadCipher(newKeyFile());
        }
        return shared;
    }

    /** A new victim-support key file holding one key, with the police-justice family beside it. */
    public static Path newKeyFile() {
        Path dir = TestDatabase.temporaryFolder("passerelle-test-keys");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TestDatabase.delete(dir), "test-keys-remover"));
        Path file = dir.resolve("master.keys");
        PayloadCipher.ensureFamilies(file, Clock.systemUTC());
        return file;
    }
}
