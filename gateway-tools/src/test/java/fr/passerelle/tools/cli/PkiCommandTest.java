package fr.passerelle.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.devkit.ShippedConfig;
import fr.passerelle.server.cli.GatewayCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway pki init} as passerelle-tools.jar runs it, on a copy of the shipped configuration. */
class PkiCommandTest {
    @TempDir
    Path dir;

    Path config;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void copyShippedConfig() {
        config = dir.resolve("config");
        ShippedConfig.copyTo(config);
    }

    @Test
    void initialisesAPkiAndPinsEachPartnersFingerprintBesideIt() throws IOException {
        Path pki = dir.resolve("pki");
        String police = Files.readString(config.resolve("partners/police-75-brp.yaml"));

        int exit = run("pki", "init", "--out", pki.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(pki.resolve("ca.pem")).exists();
        assertThat(pki.resolve("partners/police-75-brp.pem")).exists();
        assertThat(pki.resolve("partners/police-75-brp-key.pem")).exists();
        assertThat(pki.resolve("admin.pem")).exists();
        assertThat(Files.readString(pki.resolve("pins.yaml")))
                .containsPattern("\n  police-75-brp: \"([0-9A-F]{2}:){31}[0-9A-F]{2}\"\n")
                .containsPattern("\nadmins:\n  admin: \"([0-9A-F]{2}:){31}[0-9A-F]{2}\"\n");
        assertThat(Files.readString(config.resolve("partners/police-75-brp.yaml")))
                .isEqualTo(police);
        assertThat(config.resolve("partners/police-75-brp.pem")).doesNotExist();
        assertThat(run("config", "check")).as(out.toString()).isZero();
        assertThat(run("pki", "init", "--out", pki.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("already holds a CA").contains("--force");
    }

    @Test
    void addsInitToTheProductionPkiCommands() {
        int exit = run("pki", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .containsPattern("\n  init ")
                .containsPattern("\n  issue ")
                .containsPattern("\n  import ");
    }

    @Test
    void namesTheMailSenderOfGatewayYamlInTheSigningCertificate() throws Exception {
        Path pki = dir.resolve("pki");

        int exit = run("pki", "init", "--out", pki.toString());

        assertThat(exit).as(err.toString()).isZero();
        X509Certificate signing =
                PemFiles.readCertificates(pki.resolve("gateway-signing.pem")).get(0);
        assertThat(signing.getSubjectAlternativeNames())
                .containsExactly(List.of(GeneralName.rfc822Name, "passerelle@example.invalid"));
    }

    private int run(String... args) {
        return GatewayCommand.execute(
                Map.of("GATEWAY_CONFIG", config.resolve("gateway.yaml").toString()),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                args);
    }
}
