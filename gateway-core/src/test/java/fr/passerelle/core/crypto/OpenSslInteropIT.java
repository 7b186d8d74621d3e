package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenSSL reads what we write, and we read what OpenSSL writes. Skipped when openssl is not on the PATH. */
class OpenSslInteropIT {
    private static final PartnerId POLICE = TestPki.POLICE;

    @TempDir
    static Path pkiDir;

    private static PkiResult pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(pkiDir);
    }

    @BeforeEach
    void requireOpenSsl() {
        OpenSsl.assumeAvailable();
    }

    @Test
    void printsTheSameFingerprintAsOpenssl() throws Exception {
        String output =
                OpenSsl.ok(pkiDir, "x509", "-in", "partners/police-75-brp.pem", "-noout", "-fingerprint", "-sha256");

        assertThat(output.trim())
                .isEqualTo("sha256 Fingerprint=" + pki.partnerFingerprints().get(POLICE));
    }

    @Test
    void writesCertificatesThatOpensslVerifiesAgainstTheCaForTheirPurpose() throws Exception {
        String partner = OpenSsl.ok(
                pkiDir, "verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "partners/police-75-brp.pem");
        String admin = OpenSsl.ok(pkiDir, "verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "admin.pem");
        String tls = OpenSsl.ok(pkiDir, "verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "gateway-tls.pem");
        String signing =
                OpenSsl.ok(pkiDir, "verify", "-CAfile", "ca.pem", "-purpose", "smimesign", "gateway-signing.pem");

        assertThat(partner.trim()).isEqualTo("partners/police-75-brp.pem: OK");
        assertThat(admin.trim()).isEqualTo("admin.pem: OK");
        assertThat(tls.trim()).isEqualTo("gateway-tls.pem: OK");
        assertThat(signing.trim()).isEqualTo("gateway-signing.pem: OK");
    }

    @Test
    void writesPkcs12FilesThatOpensslOpensWithThePasswordFile() throws Exception {
        Path p12 = pki.partnerPkcs12(POLICE).toAbsolutePath();
        String passin = "file:" + pki.pkcs12Password().toAbsolutePath();

        OpenSsl.ok(dir, "pkcs12", "-in", p12.toString(), "-passin", passin, "-nokeys", "-clcerts", "-out", "cert.pem");
        OpenSsl.ok(dir, "pkcs12", "-in", p12.toString(), "-passin", passin, "-nocerts", "-nodes", "-out", "key.pem");

        assertThat(Fingerprints.sha256(
                        PemFiles.readCertificates(dir.resolve("cert.pem")).get(0)))
                .isEqualTo(pki.partnerFingerprints().get(POLICE));
        assertThat(PemFiles.readPrivateKey(dir.resolve("key.pem")))
                .isEqualTo(PemFiles.readPrivateKey(pki.partnerKey(POLICE)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "EC PKCS#8         | -----BEGIN PRIVATE KEY-----    | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem",
                "EC traditional    | -----BEGIN EC PRIVATE KEY----- | ecparam -name prime256v1 -genkey -out key.pem",
                "RSA PKCS#8        | -----BEGIN PRIVATE KEY-----    | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem",
                "RSA traditional   | -----BEGIN RSA PRIVATE KEY---- | genrsa -traditional -out key.pem 2048"
            })
    void readsKeysAndCertificatesMadeByOpenssl(String kind, String marker, String generate) throws Exception {
        OpenSsl.ok(dir, generate.split(" "));
        OpenSsl.ok(dir, "req", "-x509", "-key", "key.pem", "-subj", "/CN=interop", "-days", "1", "-out", "cert.pem");

        CertifiedKey certified = PemFiles.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertThat(Files.readString(dir.resolve("key.pem"))).contains(marker);
        assertThat(certified.key().getAlgorithm()).isEqualTo(kind.startsWith("EC") ? "EC" : "RSA");
        assertThat(certified.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=interop");
        String opensslFingerprint = OpenSsl.ok(dir, "x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha256");
        assertThat(opensslFingerprint.trim())
                .isEqualTo("sha256 Fingerprint=" + Fingerprints.sha256(certified.certificate()));
    }

    @Test
    void writesKeysThatOpensslReads() throws Exception {
        PrivateKey key = PemFiles.readPrivateKey(pki.adminKey());
        PemFiles.writePrivateKey(dir.resolve("written.pem"), key);

        String output = OpenSsl.ok(dir, "pkey", "-in", "written.pem", "-check", "-noout");

        assertThat(output.trim()).isEqualTo("Key is valid");
    }

    @Test
    void refusesAnEncryptedKeyMadeByOpenssl() throws Exception {
        OpenSsl.ok(
                dir,
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-aes256",
                "-pass",
                "pass:secret",
                "-out",
                "encrypted.pem");
        Path file = dir.resolve("encrypted.pem");

        assertThatThrownBy(() -> PemFiles.readPrivateKey(file)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage())
                    .isEqualTo(file + ": holds an encrypted private key (expected: one"
                            + " unencrypted private key, 'BEGIN PRIVATE KEY' (PKCS#8), 'BEGIN EC PRIVATE KEY' or"
                            + " 'BEGIN RSA PRIVATE KEY')");
        });
    }
}
