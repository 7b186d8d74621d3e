package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.testkit.Certificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateExpiryTest {
    @TempDir
    Path temp;

    @Test
    void listsThePartnersAndTheGatewaysCertificatesThatExpireWithinTheWindow() {
        TestConfig config = TestConfig.valid(temp);
        X509Certificate siao = Certificates.leaf(
                TestConfig.CA,
                "siao-75",
                Certificates.ec("secp256r1"),
                Certificates.FROM,
                Instant.parse("2026-02-06T12:00:00Z"),
                Certificates.SIGN_AND_AGREE);
        Certificates.write(config.file("partners/siao-75.pem"), siao, TestConfig.CA.certificate());
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, Fingerprints.sha256(siao));
        Certificates.write(
                temp.resolve("pki/gateway-tls.pem"),
                Certificates.leaf(
                        TestConfig.CA,
                        "gateway",
                        Certificates.ec("secp256r1"),
                        Certificates.FROM,
                        Instant.parse("2026-01-16T00:00:00Z"),
                        KeyUsage.digitalSignature),
                TestConfig.CA.certificate());
        Certificates.write(
                temp.resolve("pki/gateway-signing.pem"),
                Certificates.leaf(
                        TestConfig.CA,
                        "signing",
                        Certificates.ec("secp256r1"),
                        Certificates.FROM,
                        Instant.parse("2026-01-10T00:00:00Z"),
                        KeyUsage.digitalSignature));
        Deployment deployment = config.check().deployment().orElseThrow();

        assertThat(CertificateExpiry.expiringWithin(deployment, CertificateExpiry.WARNING_WINDOW, TestConfig.CLOCK))
                .containsExactly(
                        "certificate of siao-75 expires on 2026-02-06 (in 22 days)",
                        "certificate of the gateway's TLS key expires on 2026-01-16 (in 1 day)",
                        "certificate of the gateway's signing key expired on 2026-01-10 (5 days ago)");
    }

    @Test
    void listsNothingWhenEveryCertificateOutlivesTheWindowAndSkipsMissingFiles() {
        Deployment deployment = TestConfig.valid(temp).check().deployment().orElseThrow();

        assertThat(CertificateExpiry.expiringWithin(deployment, Duration.ofDays(30), TestConfig.CLOCK))
                .isEmpty();
        assertThat(CertificateExpiry.expiringWithin(deployment, Duration.ofDays(3 * 365), TestConfig.CLOCK))
                .hasSize(9)
                .first()
                .isEqualTo("certificate of association-75-amarante expires on 2028-01-01 (in 716" + " days)");
    }
}
