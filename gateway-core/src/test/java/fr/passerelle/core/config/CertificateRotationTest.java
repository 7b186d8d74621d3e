package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.Certificates;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate rotated with an overlap: both certificates authenticate the partner until its end. */
class CertificateRotationTest {
    private static final PartnerId SIAO = PartnerId.of("siao-75");
    private static final Instant NOW = TestConfig.CLOCK.instant();

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    @Test
    void acceptsTheOldAndTheNewCertificateUntilTheOverlapEnds() throws Exception {
        X509Certificate renewed = Certificates.leaf(TestConfig.CA, "siao-75");
        FileSet rotated = ConfigEdits.rotateCertificate(
                FileSet.read(config.dir()),
                SIAO,
                Optional.of(pem(renewed, TestConfig.CA.certificate())),
                Optional.empty(),
                NOW.plusSeconds(3600),
                NOW);

        ConfigReport report = check(rotated);

        Deployment deployment = report.deployment().orElseThrow();
        String fresh = Fingerprints.sha256(renewed);
        assertThat(deployment.partner(SIAO).orElseThrow().certificateSha256()).contains(fresh);
        assertThat(deployment.partnerByFingerprint(fresh, NOW)).map(Partner::id).contains(SIAO);
        assertThat(deployment.partnerByFingerprint(TestConfig.FP_SIAO, NOW))
                .map(Partner::id)
                .contains(SIAO);
        assertThat(deployment.partnerByFingerprint(TestConfig.FP_SIAO, NOW.plusSeconds(3600)))
                .isEmpty();
        assertThat(rotated.text("partners/siao-75.yaml").orElseThrow())
                .contains("  previous:\n  - sha256: " + TestConfig.FP_SIAO + "\n    until: " + NOW.plusSeconds(3600)
                        + "\n");
    }

    @Test
    void warnsOfAnOverlapThatHasEndedAndAcceptsItNoMore() {
        config.replace(
                "partners/siao-75.yaml",
                "  sha256: \"" + TestConfig.FP_SIAO + "\"",
                "  sha256: \""
                        + TestConfig.FP_SIAO + "\"\n  previous:\n    - {sha256: \"" + TestConfig.fingerprint("AB")
                        + "\", until: 2026-01-01T00:00:00Z}");

        ConfigReport report = config.check();

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly("partners/siao-75.yaml:10: warning:"
                        + " the overlap of previous certificate " + TestConfig.fingerprint("AB") + " ended on"
                        + " 2026-01-01T00:00:00Z: it is no longer accepted (fix: remove it from certificate.previous)");
        assertThat(report.deployment().orElseThrow().partnerByFingerprint(TestConfig.fingerprint("AB"), NOW))
                .isEmpty();
    }

    @Test
    void refusesAPreviousCertificateThatAnotherPartnerPins() {
        config.replace(
                "partners/siao-75.yaml",
                "  sha256: \"" + TestConfig.FP_SIAO + "\"",
                "  sha256: \""
                        + TestConfig.FP_SIAO + "\"\n  previous:\n    - {sha256: \"" + TestConfig.FP_POLICE
                        + "\", until: 2026-02-01T00:00:00Z}");

        ConfigReport report = config.check();

        assertThat(report.errors())
                .extracting(config::shown)
                .containsExactly("partners/siao-75.yaml:10: error:"
                        + " certificate fingerprint " + TestConfig.FP_POLICE
                        + " is already pinned for partner police-75-brp:"
                        + " a certificate identifies one partner only (fix: give each partner its own certificate)");
    }

    private ConfigReport check(FileSet files) {
        return ConfigLoader.check(
                config.gateway(), files.source(Path.of("")), Map.of(), ConfigChecks.lenient(), TestConfig.CLOCK);
    }

    static String pem(X509Certificate... chain) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        }
        return text.toString();
    }
}
