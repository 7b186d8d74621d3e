package fr.passerelle.core.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A certificate database of NSS, the library with which Thunderbird (and Firefox, and Chromium on Linux) reads
 * S/MIME, and its command-line tools from Debian's {@code libnss3-tools}: {@code certutil}, {@code pk12util} and
 * {@code cmsutil}. Tests skip when they are absent.
 */
public final class Nss {
    private static final Path CMSUTIL = Path.of("/usr/bin/cmsutil");

    private final Path db;

    private Nss(Path db) {
        this.db = db;
    }

    /** Skips the calling test when NSS's tools are not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(
                Files.isExecutable(CMSUTIL), "no cmsutil: install libnss3-tools (NSS's tools) to run this test");
    }

    /** A new, empty database without password in {@code dir}. */
    public static Nss create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Nss nss = new Nss(dir);
        nss.ok("certutil", "-N", "-d", nss.sql(), "--empty-password");
        return nss;
    }

    /** Imports a PKCS#12 file (key and certificate), as a mail client imports the partner's {@code .p12}. */
    public Nss importPkcs12(Path p12, String password) throws IOException, InterruptedException {
        ok("pk12util", "-i", p12.toString(), "-d", sql(), "-W", password);
        return this;
    }

    /** Trusts {@code caPem} to identify mail senders, as a user does in the client's certificate manager. */
    public Nss trustForMail(Path caPem) throws IOException, InterruptedException {
        ok("certutil", "-A", "-d", sql(), "-n", "ca-" + caPem.getFileName(), "-t", "C,C,C", "-i", caPem.toString());
        return this;
    }

    /**
     * {@code cmsutil -D}: decrypts an enveloped CMS with the database's keys, or decodes a signed one and verifies its
     * signature and chain against the database's trusted CAs; writes the content to {@code out}.
     */
    public Commands.Result decode(Path in, Path out) throws IOException, InterruptedException {
        return Commands.run(
                db,
                new byte[0],
                List.of(CMSUTIL.toString(), "-D", "-d", sql(), "-i", in.toString(), "-o", out.toString()));
    }

    private String sql() {
        return "sql:" + db;
    }

    private void ok(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/" + tool));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(db, new byte[0], command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(tool + " exited " + result.exitCode() + ": " + result.output());
        }
    }
}
