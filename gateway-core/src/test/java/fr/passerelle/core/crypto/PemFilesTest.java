package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    private static final PartnerId POLICE = TestPki.POLICE;
    private static final String EXPECTED_CERTIFICATES = "expected: one or more PEM blocks 'BEGIN CERTIFICATE'";
    private static final String EXPECTED_KEY = "expected: one unencrypted private key, 'BEGIN PRIVATE KEY'"
            + " (PKCS#8), 'BEGIN EC PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY'";

    @TempDir
    static Path pkiDir;

    private static PkiResult pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(pkiDir);
    }

    @Test
    void readsAChainInFileOrder() throws Exception {
        List<X509Certificate> chain = PemFiles.readCertificates(pki.partnerCertificate(POLICE));

        assertThat(chain)
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly(
                        "CN=police-75-brp,O=Passerelle development",
                        "CN=Passerelle development CA,O=Passerelle development");
    }

    @Test
    void writesCertificatesThatReadBackTheSame() {
        List<X509Certificate> chain = PemFiles.readCertificates(pki.gatewayTlsCertificate());
        Path file = dir.resolve("copy.pem");

        PemFiles.writeCertificates(file, chain);

        assertThat(PemFiles.readCertificates(file)).containsExactlyElementsOf(chain);
    }

    @Test
    void writesAPrivateKeyAsPkcs8ThatReadsBackTheSame() throws Exception {
        PrivateKey key = PemFiles.readPrivateKey(pki.adminKey());
        Path file = dir.resolve("key.pem");

        PemFiles.writePrivateKey(file, key);

        assertThat(Files.readString(file))
                .startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(PemFiles.readPrivateKey(file)).isEqualTo(key);
    }

    @Test
    void ignoresTextAroundTheBlocks() throws Exception {
        Path file = dir.resolve("annotated.pem");
        Files.writeString(
                file,
                "Bag Attributes\n    friendlyName: police\nsubject=CN = police-75-brp\n"
                        + Files.readString(pki.partnerCertificate(POLICE)) + "trailing words\n");

        assertThat(PemFiles.readCertificates(file)).hasSize(2);
    }

    @Test
    void readsAKeyBesideItsCertificate() throws Exception {
        Path file = dir.resolve("combined.pem");
        Files.writeString(
                file, Files.readString(pki.partnerCertificate(POLICE)) + Files.readString(pki.partnerKey(POLICE)));

        assertThat(PemFiles.readPrivateKey(file)).isEqualTo(PemFiles.readPrivateKey(pki.partnerKey(POLICE)));
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("missing.pem");

        assertInvalid(
                () -> PemFiles.readCertificates(missing), missing + ": does not exist (" + EXPECTED_CERTIFICATES + ")");
    }

    @Test
    void refusesAnEmptyCertificateFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.pem"));

        assertInvalid(
                () -> PemFiles.readCertificates(empty),
                empty + ": holds no certificate (" + EXPECTED_CERTIFICATES + ")");
    }

    @Test
    void refusesAPrivateKeyInACertificateFileWithoutShowingIt() throws Exception {
        Path key = pki.partnerKey(POLICE);

        GatewayException e = assertInvalid(
                () -> PemFiles.readCertificates(key),
                key + ": holds a private key where only certificates belong (" + EXPECTED_CERTIFICATES + ")");

        for (String line : Files.readAllLines(key)) {
            if (!line.startsWith("-----")) {
                assertThat(e.getMessage()).doesNotContain(line.substring(0, 16));
            }
        }
    }

    @Test
    void refusesACertificateFileAsAKey() {
        Path certificate = pki.caCertificate();

        assertInvalid(
                () -> PemFiles.readPrivateKey(certificate),
                certificate + ": holds no private key (" + EXPECTED_KEY + ")");
    }

    @Test
    void refusesAFileWithTwoKeys() throws Exception {
        Path file = dir.resolve("two-keys.pem");
        Files.writeString(file, Files.readString(pki.adminKey()) + Files.readString(pki.partnerKey(POLICE)));

        assertInvalid(
                () -> PemFiles.readPrivateKey(file), file + ": holds more than one private key (" + EXPECTED_KEY + ")");
    }

    @Test
    void refusesGarbledPem() throws Exception {
        Path file = dir.resolve("garbled.pem");
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");

        assertInvalid(
                () -> PemFiles.readCertificates(file),
                file + ": is not valid PEM after block 0 (" + EXPECTED_CERTIFICATES + ")");
    }

    @Test
    void refusesDerNamingTheFormat() throws Exception {
        Path file = dir.resolve("ca.der");
        Files.write(file, PemFiles.readCertificates(pki.caCertificate()).get(0).getEncoded());

        assertInvalid(
                () -> PemFiles.readCertificates(file),
                file + ": is binary DER, not PEM (" + EXPECTED_CERTIFICATES + "; convert it with openssl)");
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() {
        Path certificate = pki.partnerCertificate(POLICE);
        Path otherKey = pki.adminKey();
        String fingerprint = pki.partnerFingerprints().get(POLICE);

        assertInvalid(
                () -> PemFiles.readCertifiedKey(certificate, otherKey),
                otherKey + ": the private key does not belong to the first certificate of " + certificate
                        + " (expected: the key of CN=police-75-brp,O=Passerelle development, fingerprint "
                        + fingerprint + ")");
    }

    @Test
    void readsACertifiedKeyWhoseToStringHidesTheKey() {
        CertifiedKey certified = PemFiles.readCertifiedKey(pki.partnerCertificate(POLICE), pki.partnerKey(POLICE));

        assertThat(certified.chain()).hasSize(2);
        assertThat(certified.certificate().getSubjectX500Principal().getName()).startsWith("CN=police-75-brp");
        assertThat(certified)
                .hasToString(
                        "CertifiedKey[EC key, leaf " + pki.partnerFingerprints().get(POLICE) + "]");
    }

    private static GatewayException assertInvalid(Runnable read, String message) {
        GatewayException[] thrown = new GatewayException[1];
        assertThatThrownBy(read::run).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).isEqualTo(message);
            thrown[0] = e;
        });
        return thrown[0];
    }
}
