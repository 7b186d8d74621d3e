package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.testkit.Certificates;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment's CA as {@code pki issue} and {@code pki import --csr} use it. */
class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Certificates.Issued ROOT = Certificates.ca("Deployment CA");

    @TempDir
    Path dir;

    private final CertificateAuthority ca =
            new CertificateAuthority(ROOT.certificate(), ROOT.keys().getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void issuesAnEcOrRsaPartnerCertificateThatChainsToTheCa() throws Exception {
        CertificateAuthority.Issued ec = ca.issue("siao-974", CertificateAuthority.KeyType.EC_P256);
        CertificateAuthority.Issued rsa = ca.issue("association-75-amarante", CertificateAuthority.KeyType.RSA_3072);

        for (CertificateAuthority.Issued issued : List.of(ec, rsa)) {
            X509Certificate certificate = issued.certificate();
            validate(certificate);
            assertThat(certificate.getExtendedKeyUsage())
                    .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4");
            assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
            assertThat(certificate.getNotAfter())
                    .isBeforeOrEqualTo(ROOT.certificate().getNotAfter());
        }
        assertThat(ec.certificate().getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=siao-974, O=Passerelle"));
        assertThat(ec.certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
        // keyUsage: digitalSignature, then keyAgreement (index 4) for EC, keyEncipherment (index 2) for RSA.
        assertThat(ec.certificate().getKeyUsage()[4]).isTrue();
        assertThat(((RSAPublicKey) rsa.certificate().getPublicKey())
                        .getModulus()
                        .bitLength())
                .isEqualTo(3072);
        assertThat(rsa.certificate().getKeyUsage()[2]).isTrue();
        assertThat(rsa.certificate().getKeyUsage()[4]).isFalse();
    }

    @Test
    void signsARequestWithTheRequestsKeyAndThePartnersIdAlone() throws Exception {
        KeyPair partner = Certificates.ec("secp256r1");

        CertificateAuthority.Issued issued = ca.sign("crip-974-reunion", request(partner, "CN=not-the-partner"));

        validate(issued.certificate());
        assertThat(issued.key()).isNull();
        assertThat(issued.certificate().getPublicKey()).isEqualTo(partner.getPublic());
        assertThat(issued.certificate().getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=crip-974-reunion, O=Passerelle"));
    }

    @Test
    void refusesARequestWhoseKeyIsTooWeakOrWhoseSignatureIsNotItsKeys() throws Exception {
        byte[] weak = request(Certificates.rsa(2048), "CN=x");
        byte[] forged = request(Certificates.ec("secp256r1"), "CN=x");
        forged[forged.length - 5] ^= 0x01;

        assertThatThrownBy(() -> ca.sign("siao-75", weak))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("RSA 2048 bits (expected: EC P-256, or RSA of at least 3072 bits)");
        assertThatThrownBy(() -> ca.sign("siao-75", forged))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> ca.sign("siao-75", "not a request".getBytes()))
                .isInstanceOf(GatewayException.class)
                .extracting(e -> ((GatewayException) e).code())
                .isEqualTo(ErrorCode.REQUEST_INVALID);
    }

    @Test
    void writesTheKeyAndItsPkcs12ForTheOwnerAloneAndThePasswordApart() throws Exception {
        CertificateAuthority.Issued issued = ca.issue("siao-974", CertificateAuthority.KeyType.EC_P256);

        List<Path> files = CertificateAuthority.write(dir, "siao-974", issued);

        assertThat(files)
                .containsExactly(
                        dir.resolve("siao-974.pem"),
                        dir.resolve("siao-974-key.pem"),
                        dir.resolve("siao-974.p12"),
                        dir.resolve("siao-974.p12-password.txt"));
        assertThat(PemFiles.readCertificates(files.get(0))).containsExactly(issued.certificate(), ROOT.certificate());
        for (Path secret : files.subList(1, 4)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                    .as(secret.toString())
                    .isEqualTo("rw-------");
        }
        char[] password = Files.readString(files.get(3)).strip().toCharArray();
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(files.get(2).toFile())) {
            p12.load(in, password);
        }
        assertThat(p12.getCertificate("siao-974")).isEqualTo(issued.certificate());
    }

    @Test
    void refusesACertificateThatIsNoCa() throws IOException {
        Path leaf = dir.resolve("leaf.pem");
        Path key = dir.resolve("leaf-key.pem");
        Certificates.write(leaf, Certificates.leaf(ROOT, "siao-75"));
        PemFiles.writePrivateKey(key, ROOT.keys().getPrivate());

        assertThatThrownBy(() -> CertificateAuthority.load(leaf, key, Clock.systemUTC()))
                .hasMessageContaining("is not a CA certificate");
    }

    private static void validate(X509Certificate certificate) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ROOT.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }

    private static byte[] request(KeyPair keys, String subject) throws Exception {
        String algorithm = keys.getPublic() instanceof RSAPublicKey ? "SHA256withRSA" : "SHA256withECDSA";
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                        new X500Principal(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
        return csr.getEncoded();
    }
}
