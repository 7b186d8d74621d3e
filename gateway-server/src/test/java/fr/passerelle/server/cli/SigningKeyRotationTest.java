package fr.passerelle.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.devkit.DevelopmentDeployment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys rotate --signing} where it cannot issue: the production jar (no issuer on the class path, as here) or
 * an external CA. It changes nothing and says how to install a certificate. The rotation itself, with the
 * development PKI's issuer, is tested in gateway-tools.
 */
class SigningKeyRotationTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private DevelopmentDeployment.Workspace workspace;
    private Path pki;

    @BeforeEach
    void deploy(@TempDir Path dir) {
        workspace = DevelopmentDeployment.prepare(dir, Map.of(), config -> {});
        pki = workspace.pki();
    }

    @Test
    void changesNothingAndSaysHowToInstallACertificateWhenTheCaKeyIsElsewhere() throws IOException {
        Files.delete(pki.resolve("ca-key.pem"));
        byte[] certificate = Files.readAllBytes(settings().signingCertificate());

        int rotate = run("keys", "rotate", "--signing");

        assertThat(rotate).as(out.toString() + err).isEqualTo(GatewayCommand.EXIT_FAILED);
        assertThat(out.toString())
                .contains(
                        "keys rotate --signing: no CA key in " + pki + " (ca-key.pem): the signing certificate comes"
                                + " from an external CA, which issues the next one. Nothing was changed. To install"
                                + " it:",
                        "  2. put the key in " + settings().signingKey() + " and the certificate the CA returns,"
                                + " followed by the CA's certificate, in "
                                + settings().signingCertificate(),
                        "  3. restart the gateway: it keeps the new certificate with the tree heads and records the"
                                + " change (audit.signer-changed) in the audit log when it signs its next head");
        assertThat(Files.readAllBytes(settings().signingCertificate())).isEqualTo(certificate);
    }

    @Test
    void changesNothingWhenThisJarHasNoIssuerForTheCaOfThePkiFolder() throws IOException {
        byte[] certificate = Files.readAllBytes(settings().signingCertificate());

        int rotate = run("keys", "rotate", "--signing");

        assertThat(rotate).as(out.toString() + err).isEqualTo(GatewayCommand.EXIT_FAILED);
        assertThat(out.toString())
                .startsWith("keys rotate --signing: this jar issues no certificate (the development PKI's issuer"
                        + " comes with passerelle-tools.jar): have the CA of " + pki + " issue the next one. Nothing"
                        + " was changed. To install it:\n");
        assertThat(Files.readAllBytes(settings().signingCertificate())).isEqualTo(certificate);
    }

    private GatewaySettings settings() {
        return ConfigLoader.settings(workspace.gatewayYaml(), env());
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(workspace.env());
        env.put("GATEWAY_CONFIG", workspace.gatewayYaml().toString());
        return env;
    }

    private int run(String... args) {
        return GatewayCommand.execute(env(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
