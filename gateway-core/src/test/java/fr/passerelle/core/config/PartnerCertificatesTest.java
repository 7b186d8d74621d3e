package fr.passerelle.core.config;

import static fr.passerelle.core.testkit.Certificates.FROM;
import static fr.passerelle.core.testkit.Certificates.SIGN_AND_AGREE;
import static fr.passerelle.core.testkit.Certificates.UNTIL;
import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.Certificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnerCertificatesTest {
    private static final String PEM = "partners/siao-75.pem";

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    /** Puts {@code certificate} (then the test CA) at partners/siao-75.pem and pins it. */
    private void install(X509Certificate certificate) {
        Certificates.write(config.file(PEM), certificate, TestConfig.CA.certificate());
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, Fingerprints.sha256(certificate));
    }

    private List<String> problems() {
        return config.check().problems().stream().map(config::shown).toList();
    }

    private static X509Certificate siao(KeyPair keys, Instant from, Instant until, int usage) {
        return Certificates.leaf(TestConfig.CA, "siao-75", keys, from, until, usage);
    }

    @Test
    void readsTheCertificateOfEachPartnerBesideItsEntry() {
        Partner siao = config.check()
                .deployment()
                .orElseThrow()
                .partner(PartnerId.of("siao-75"))
                .orElseThrow();

        assertThat(siao.certificate()).contains(TestConfig.CERTIFICATES.get("siao-75"));
        assertThat(siao.certificateSha256()).contains(TestConfig.FP_SIAO);
    }

    @Test
    void refusesAnExpiredCertificateNamingItsDates() {
        install(siao(
                Certificates.ec("secp256r1"),
                Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2025-12-31T00:00:00Z"),
                SIGN_AND_AGREE));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 expired on 2025-12-31 (valid"
                        + " from 2024-01-01 to 2025-12-31) (fix: ask the partner for its renewed certificate, put it at"
                        + " partners/siao-75.pem and pin it)");
    }

    @Test
    void refusesACertificateNotValidYet() {
        install(siao(Certificates.ec("secp256r1"), Instant.parse("2026-02-01T00:00:00Z"), UNTIL, SIGN_AND_AGREE));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 is not valid yet on 2026-01-15"
                        + " (valid from 2026-02-01 to 2028-01-01) (fix: check the gateway's clock, or put back the current"
                        + " certificate until then)");
    }

    @Test
    void warnsThirtyDaysBeforeACertificateExpires() {
        install(siao(Certificates.ec("secp256r1"), FROM, Instant.parse("2026-02-01T00:00:00Z"), SIGN_AND_AGREE));

        ConfigReport report = config.check();

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly(PEM + ": warning: certificate of"
                        + " siao-75 expires on 2026-02-01 (in 17 days) (fix: ask the partner for its renewed certificate"
                        + " before then)");
        assertThat(report.deployment()).isPresent();
    }

    @Test
    void refusesACertificateOfAnotherCa() {
        Certificates.Issued other = Certificates.ca("Other CA");
        X509Certificate certificate = Certificates.leaf(other, "siao-75");
        Certificates.write(config.file(PEM), certificate, other.certificate());
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, Fingerprints.sha256(certificate));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 does not chain to the trust"
                        + " anchors of ca.pem (issuer: CN=Other CA; trusted: CN=Test partners CA) (fix: ask the partner for a"
                        + " certificate issued by a trusted CA, or add its CA to ca.pem)");
    }

    @Test
    void acceptsACertificateOfAnyOfSeveralTrustAnchors() {
        Certificates.Issued other = Certificates.ca("Other CA");
        Certificates.write(temp.resolve("pki/ca.pem"), TestConfig.CA.certificate(), other.certificate());
        X509Certificate certificate = Certificates.leaf(other, "siao-75");
        Certificates.write(config.file(PEM), certificate);
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, Fingerprints.sha256(certificate));

        assertThat(problems()).isEmpty();
    }

    @Test
    void refusesAnEcCertificateWithoutKeyAgreement() {
        install(siao(Certificates.ec("secp256r1"), FROM, UNTIL, KeyUsage.digitalSignature));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 does not allow keyAgreement (to"
                        + " receive envelopes sealed to an EC key) (key usage: digitalSignature) (fix: ask the partner for a"
                        + " certificate whose key usage allows it)");
    }

    @Test
    void refusesACertificateWithoutDigitalSignature() {
        install(siao(Certificates.ec("secp384r1"), FROM, UNTIL, KeyUsage.keyAgreement));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 does not allow digitalSignature"
                        + " (to sign submissions and authenticate) (key usage: keyAgreement) (fix: ask the partner for a"
                        + " certificate whose key usage allows it)");
    }

    @Test
    void warnsAboutAnRsa2048KeyAsAnssiAsksFor3072BeyondThe2030() {
        install(siao(Certificates.rsa(2048), FROM, UNTIL, KeyUsage.digitalSignature | KeyUsage.keyEncipherment));

        assertThat(problems())
                .containsExactly(PEM + ": warning: certificate of siao-75 has an RSA key of 2048 bits:"
                        + " ANSSI's guide asks for 3072 bits or more beyond 2030 (fix: plan a certificate with an RSA key of"
                        + " 3072 bits or an EC key on P-256 at its renewal)");
    }

    @Test
    void refusesAnRsa1024Key() {
        install(siao(Certificates.rsa(1024), FROM, UNTIL, KeyUsage.digitalSignature | KeyUsage.keyEncipherment));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 has an RSA key of 1024 bits"
                        + " (expected: 2048 bits or more, as ANSSI's guide requires) (fix: ask the partner for a certificate"
                        + " with an RSA key of 3072 bits or an EC key on P-256)");
    }

    @Test
    void refusesAnRsaKeyWithoutKeyEncipherment() {
        install(siao(Certificates.rsa(3072), FROM, UNTIL, KeyUsage.digitalSignature));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 does not allow keyEncipherment"
                        + " (to receive envelopes sealed to an RSA key) (key usage: digitalSignature) (fix: ask the partner"
                        + " for a certificate whose key usage allows it)");
    }

    @Test
    void acceptsEcKeysOnTheThreeNistCurves() {
        for (String curve : List.of("secp256r1", "secp384r1", "secp521r1")) {
            config = TestConfig.valid(temp.resolve(curve));
            install(siao(Certificates.ec(curve), FROM, UNTIL, SIGN_AND_AGREE));

            assertThat(problems()).as(curve).isEmpty();
        }
    }

    @Test
    void refusesAnEcKeyOnAnotherCurve() throws Exception {
        install(siao(Certificates.ec("secp256k1"), FROM, UNTIL, SIGN_AND_AGREE));

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 has an EC key on secp256k1"
                        + " (expected: P-256, P-384 or P-521) (fix: ask the partner for a certificate with an EC key on"
                        + " P-256)");
    }

    @Test
    void refusesACertificateThatIsNotThePinnedOne() {
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, TestConfig.fingerprint("0F"));

        assertThat(problems())
                .containsExactly(PEM + ": error: partners/siao-75.pem has fingerprint "
                        + TestConfig.FP_SIAO + ", the entry pins " + TestConfig.fingerprint("0F")
                        + " (fix: pin the new one,"
                        + " or put back the matching certificate)");
    }

    @Test
    void refusesAFileThatIsNotPem() throws Exception {
        Files.writeString(config.file(PEM), "not a certificate\n");

        assertThat(problems())
                .containsExactly(
                        PEM + ": error: certificate of siao-75 cannot be read:"
                                + " partners/siao-75.pem holds no certificate (expected: one or more PEM blocks 'BEGIN CERTIFICATE')"
                                + " (fix: put the partner's certificate there as PEM ('BEGIN CERTIFICATE'), or remove the file)");
    }

    @Test
    void refusesAFileThatHoldsAPrivateKey() throws Exception {
        Files.writeString(
                config.file(PEM),
                "-----BEGIN PUBLIC KEY-----\n"
                        + java.util.Base64.getMimeEncoder()
                                .encodeToString(
                                        Certificates.ec("secp256r1").getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");

        assertThat(problems())
                .containsExactly(PEM + ": error: certificate of siao-75 cannot be read:"
                        + " partners/siao-75.pem holds a public key where only certificates belong (expected: one or more PEM"
                        + " blocks 'BEGIN CERTIFICATE') (fix: put the partner's certificate there as PEM ('BEGIN"
                        + " CERTIFICATE'), or remove the file)");
    }

    @Test
    void takesTheFirstOfCertificatesThatAreNoChainAndWarns() {
        Certificates.write(
                config.file(PEM), TestConfig.CERTIFICATES.get("siao-75"), TestConfig.CERTIFICATES.get("police-75-brp"));

        ConfigReport report = config.check();

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly(PEM + ": warning:"
                        + " partners/siao-75.pem holds 2 certificates that are not a chain: the first is taken as the"
                        + " certificate of siao-75 (fix: keep the partner's certificate first, then only the CAs that issued"
                        + " it, in order)");
        assertThat(report.deployment()
                        .orElseThrow()
                        .partner(PartnerId.of("siao-75"))
                        .orElseThrow()
                        .certificate())
                .contains(TestConfig.CERTIFICATES.get("siao-75"));
    }

    @Test
    void acceptsALeafAloneWithoutItsCa() {
        Certificates.write(config.file(PEM), TestConfig.CERTIFICATES.get("siao-75"));

        assertThat(problems()).isEmpty();
    }

    @Test
    void reportsUnreadableTrustAnchorsOnce() throws Exception {
        Files.delete(temp.resolve("pki/ca.pem"));

        assertThat(problems())
                .containsExactly(temp.resolve("pki/ca.pem") + ": error: the trust anchors cannot be"
                        + " read, so no partner certificate can be checked against them: " + temp.resolve("pki/ca.pem")
                        + ": does not exist (expected: one or more PEM blocks 'BEGIN CERTIFICATE') (fix: run `gateway pki"
                        + " init`, or point tls.client_ca at the PEM file of the CAs that issue partner certificates)");
    }

    @Test
    void skipsTheChainCheckWhenTheSettingsFail() throws Exception {
        config.replace("gateway.yaml", "  port: 8443", "  port: https");
        Files.delete(temp.resolve("pki/ca.pem"));

        assertThat(problems())
                .containsExactly("gateway.yaml:2: error: 'server.port' must be a whole number, found"
                        + " the text 'https' (fix: write a number such as 8443)");
    }

    @Test
    void readsSignedSubmissionsAndTheEnvelopeFormat() {
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\nsigned_submissions: required\n" + "envelope: aes-256-cbc");

        Partner siao = config.check()
                .deployment()
                .orElseThrow()
                .partner(PartnerId.of("siao-75"))
                .orElseThrow();

        assertThat(siao.signedSubmissionsRequired()).isTrue();
        assertThat(siao.envelope()).isEqualTo(EnvelopeFormat.AES_256_CBC);
    }

    @Test
    void refusesAnUnknownEnvelopeWithASuggestion() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\nenvelope: aes-256-gcn");

        assertThat(problems())
                .containsExactly("partners/siao-75.yaml:10: error: 'envelope' is 'aes-256-gcn' (expected"
                        + " one of: aes-256-gcm, aes-256-cbc, compatible, modern) (fix: did you mean 'aes-256-gcm'?)");
    }

    @Test
    void refusesAnUnknownSignedSubmissionsValue() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\nsigned_submissions: always");

        assertThat(problems())
                .containsExactly("partners/siao-75.yaml:10: error: 'signed_submissions' is 'always'"
                        + " (expected one of: required, optional) (fix: write signed_submissions: required)");
    }
}
