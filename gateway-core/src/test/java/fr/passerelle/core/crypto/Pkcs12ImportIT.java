package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.Commands;
import fr.passerelle.core.testkit.OpenSsl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrator's {@code admin.p12}, which docs/CONSOLE.md asks to import into a browser, imports where
 * browsers keep client certificates: NSS (Chromium and Firefox on Linux; {@code pk12util}, from Debian's
 * libnss3-tools, which .ci/run installs) and OpenSSL 3, with the password of {@code pkcs12-password.txt}. Skips
 * without the program.
 */
class Pkcs12ImportIT {
    private static final Path PK12UTIL = Path.of("/usr/bin/pk12util");
    private static final Path CERTUTIL = Path.of("/usr/bin/certutil");

    @TempDir
    static Path work;

    static Path pki;
    static String password;

    @BeforeAll
    static void pki() throws IOException {
        pki = work.resolve("pki");
        DevelopmentPki.init(pki, List.of(new PartnerId("police-75-brp")), List.of(), Clock.systemUTC(), false);
        password = Files.readAllLines(pki.resolve("pkcs12-password.txt")).get(0);
    }

    @Test
    void importsIntoTheNssStoreOfChromiumAndFirefoxWithItsKey() throws Exception {
        assumeTrue(
                Files.isExecutable(PK12UTIL) && Files.isExecutable(CERTUTIL),
                "no pk12util: install libnss3-tools to run this test");
        Path db = Files.createDirectories(work.resolve("nssdb"));
        Path empty = Files.writeString(work.resolve("empty-password"), "\n");
        Path p12Password = Files.writeString(work.resolve("p12-password"), password + "\n");
        assertThat(run(List.of(CERTUTIL.toString(), "-N", "-d", "sql:" + db, "-f", empty.toString()))
                        .exitCode())
                .isZero();

        Commands.Result imported = run(List.of(
                PK12UTIL.toString(),
                "-i",
                pki.resolve("admin.p12").toString(),
                "-d",
                "sql:" + db,
                "-k",
                empty.toString(),
                "-w",
                p12Password.toString()));
        String keys = run(List.of(CERTUTIL.toString(), "-K", "-d", "sql:" + db, "-f", empty.toString()))
                .output();
        String certificates =
                run(List.of(CERTUTIL.toString(), "-L", "-d", "sql:" + db)).output();

        assertThat(imported.exitCode()).as(imported.output()).isZero();
        assertThat(keys).contains("admin");
        assertThat(certificates).contains("admin", "u,u,u");
    }

    @Test
    void opensWithOpenSslAndHoldsTheKeyAndTheChain() throws Exception {
        OpenSsl.assumeAvailable();

        OpenSsl.Result result = OpenSsl.run(
                work,
                "pkcs12",
                "-in",
                pki.resolve("admin.p12").toString(),
                "-passin",
                "pass:" + password,
                "-nodes",
                "-info");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("BEGIN PRIVATE KEY", "subject=", DevelopmentPki.CA_NAME);
    }

    private static Commands.Result run(List<String> command) throws IOException, InterruptedException {
        return Commands.run(Path.of("."), new byte[0], command);
    }
}
