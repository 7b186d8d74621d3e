package fr.passerelle.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditSequencer;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.server.cli.GatewayCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys rotate --signing} on the development PKI, with the issuer that passerelle-tools.jar provides, then
 * {@code audit verify}, on a fresh database.
 */
class SigningKeyRotationIT {
    private final TestDatabase.Fresh database = TestDatabase.fresh();
    private final DataSource ds = database.dataSource();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private DevelopmentDeployment.Workspace workspace;
    private Path pki;

    @BeforeEach
    void deploy(@TempDir Path dir) {
        workspace = DevelopmentDeployment.prepare(dir, database.env(), config -> {});
        pki = workspace.pki();
    }

    @Test
    void rotatesTheSigningKeyAndTheLogStillVerifies() throws SQLException {
        CertifiedKey first = signingKey();
        append(5);
        sign(first);

        int rotate = run("keys", "rotate", "--signing");
        CertifiedKey second = signingKey();
        append(5);
        sign(second);
        int verify = run("audit", "verify");

        String from = Fingerprints.sha256(first.certificate());
        String to = Fingerprints.sha256(second.certificate());
        assertThat(List.of(rotate, verify)).as(out.toString() + err).containsOnly(0);
        assertThat(to).isNotEqualTo(from);
        assertThat(out.toString())
                .contains(
                        "keys rotate --signing: new signing key in "
                                + settings().signingKey() + ", certificate " + to
                                + " in " + settings().signingCertificate() + " (issued by " + pki.resolve("ca.pem")
                                + ")",
                        "  audit entry queued at 6 (keys.signing-rotated): signer " + from + " -> " + to,
                        "  restart the gateway to sign with the new key (until then it signs with " + from + ")",
                        "audit log verified: 12 entries, 2 signed tree heads");
        assertThat(AuditLog.list(ds, Optional.empty()).stream()
                        .filter(r -> !r.action().equals("referral.submitted"))
                        .map(r -> r.seq() + " " + r.actor() + " " + r.action() + " " + new TreeMap<>(r.detail())))
                .containsExactly(
                        "6 admin keys.signing-rotated {previousSigner=" + from + ", signer=" + to + "}",
                        "12 gateway audit.signer-changed {previousSigner=" + from + ", signer=" + to + "}");
    }

    @Test
    void verifiesAnExportOfflineWithTheCaAfterTheLeafAndRefusesItWithAnotherCa(@TempDir Path other)
            throws SQLException {
        append(5);
        sign(signingKey());
        run("keys", "rotate", "--signing");
        append(5);
        sign(signingKey());
        Path export = other.resolve("audit.jsonl");
        run("audit", "export", "--out", export.toString());
        Path otherCa = DevelopmentPki.init(other.resolve("pki"), List.of(), List.of(), Clock.systemUTC(), false)
                .caCertificate();
        String cert = settings().signingCertificate().toString();
        out.getBuffer().setLength(0);

        int withItsCa = run("audit", "verify", "--file", export.toString(), "--cert", cert);
        int withAnotherCa =
                run("audit", "verify", "--file", export.toString(), "--cert", cert, "--ca", otherCa.toString());

        assertThat(List.of(withItsCa, withAnotherCa)).as(out.toString() + err).containsExactly(0, 1);
        assertThat(out.toString())
                .startsWith("audit log verified: 12 entries, 2 signed tree heads\n"
                        + "audit log does NOT verify: tree head 5: signer certificate ")
                .contains(" does not chain to a trusted CA (expected: a certificate issued by ");
    }

    private GatewaySettings settings() {
        return ConfigLoader.settings(workspace.gatewayYaml(), env());
    }

    private CertifiedKey signingKey() {
        return settings().signingKey().read(settings().signingCertificate());
    }

    /** What the running gateway's sequencer does at its next batch, with the key it read at start. */
    private void sign(CertifiedKey key) {
        AuditSequencer.sequenceNow(ds, key, Duration.ofSeconds(30));
    }

    private void append(int count) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < count; i++) {
                AuditLog.append(
                        c, "police-75-brp", "referral.submitted", Optional.empty(), Map.of("type", "shelter.request"));
            }
        }
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
