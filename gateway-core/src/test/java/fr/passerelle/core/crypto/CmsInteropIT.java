package fr.passerelle.core.crypto;

import static fr.passerelle.core.crypto.CmsFixtures.BODY;
import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenSSL opens what the gateway seals and verifies what it signs, with a real chain check against the
 * development CA; the gateway accepts what {@code openssl cms -sign} writes. The commands are those of
 * docs/CMS.md. Skipped when openssl is not on the PATH.
 */
class CmsInteropIT {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");

    @TempDir
    static Path pkiDir;

    private static PkiResult pki;
    private static CmsSealer sealer;
    private static CertifiedKey police;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = DevelopmentPki.init(pkiDir, List.of(POLICE), List.of(), Clock.systemUTC(), false);
        sealer = new CmsSealer(
                PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey()), Clock.systemUTC());
        police = PemFiles.readCertifiedKey(pki.partnerCertificate(POLICE), pki.partnerKey(POLICE));
    }

    @BeforeEach
    void requireOpenSsl() throws Exception {
        OpenSsl.assumeAvailable();
        Files.copy(pki.caCertificate(), dir.resolve("ca.pem"));
        Files.copy(pki.partnerCertificate(POLICE), dir.resolve("partner.pem"));
        Files.copy(pki.partnerKey(POLICE), dir.resolve("partner-key.pem"));
        Files.write(dir.resolve("body.json"), BODY);
    }

    @ParameterizedTest(name = "{0} recipient, {1}")
    @CsvSource({"EC, AES_256_GCM", "EC, AES_256_CBC", "RSA, AES_256_GCM", "RSA, AES_256_CBC"})
    void opensslDecryptsAndVerifiesWhatTheGatewaySeals(String keyType, EnvelopeFormat format) throws Exception {
        if (keyType.equals("RSA")) {
            CertifiedKey rsa = CmsFixtures.rsa(
                    3072,
                    "siao-75",
                    Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(1)));
            PemFiles.writeCertificates(dir.resolve("partner.pem"), rsa.chain());
            PemFiles.writePrivateKey(dir.resolve("partner-key.pem"), rsa.key());
        }
        X509Certificate recipient =
                PemFiles.readCertificates(dir.resolve("partner.pem")).get(0);
        Files.write(dir.resolve("referral.cms"), sealer.seal(BODY, recipient, format));

        OpenSsl.ok(
                dir,
                "cms",
                "-decrypt",
                "-inform",
                "DER",
                "-in",
                "referral.cms",
                "-recip",
                "partner.pem",
                "-inkey",
                "partner-key.pem",
                "-out",
                "signed.cms");
        String verify = OpenSsl.ok(
                dir,
                "cms",
                "-verify",
                "-inform",
                "DER",
                "-in",
                "signed.cms",
                "-CAfile",
                "ca.pem",
                "-signer",
                "signer.pem",
                "-out",
                "referral.json");
        String signer = OpenSsl.ok(dir, "x509", "-in", "signer.pem", "-noout", "-fingerprint", "-sha256");

        assertThat(verify).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("referral.json"))).isEqualTo(BODY);
        assertThat(signer.trim())
                .isEqualTo("sha256 Fingerprint="
                        + Fingerprints.sha256(PemFiles.readCertificates(pki.gatewaySigningCertificate())
                                .get(0)));
    }

    @Test
    void opensslVerifiesAReceiptThatTheGatewaySigns() throws Exception {
        Files.write(dir.resolve("receipt.cms"), sealer.sign(BODY));

        String verify = OpenSsl.ok(
                dir,
                "cms",
                "-verify",
                "-inform",
                "DER",
                "-in",
                "receipt.cms",
                "-CAfile",
                "ca.pem",
                "-out",
                "receipt.json");

        assertThat(verify).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("receipt.json"))).isEqualTo(BODY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DER", "PEM", "SMIME"})
    void acceptsASubmissionSignedByOpenssl(String outform) throws Exception {
        OpenSsl.ok(
                dir,
                "cms",
                "-sign",
                "-nodetach",
                "-binary",
                "-outform",
                outform,
                "-signer",
                "partner.pem",
                "-inkey",
                "partner-key.pem",
                "-in",
                "body.json",
                "-out",
                "body.cms");
        byte[] body = Files.readAllBytes(dir.resolve("body.cms"));

        SignedSubmissions.Verified verified =
                SignedSubmissions.verify(body, POLICE, police.certificate(), Clock.systemUTC());

        assertThat(verified.content()).isEqualTo(BODY);
        assertThat(verified.signingTime()).isPresent();
        assertThat(verified.evidence()).isEqualTo(body);
    }
}
