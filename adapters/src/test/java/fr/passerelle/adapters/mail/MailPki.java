package fr.passerelle.adapters.mail;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.Certificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The development PKIs of the mail tests, made once per JVM: GreenMail reads its TLS key store once per JVM
 * (system properties {@code greenmail.tls.keystore.*}), so every test class must see the same one. The
 * gateway's TLS certificate (localhost, 127.0.0.1) serves as the relay's; another PKI gives a relay whose
 * certificate the gateway must refuse. Files live under {@code target/}, never in the source tree.
 */
final class MailPki {
    static final PartnerId ASSOCIATION = PartnerId.of("association-75-amarante");
    private static MailPki instance;

    final PkiResult pki;
    final PkiResult other;
    final char[] password;
    final CertifiedKey association;
    final CertifiedKey associationRsa;
    final X509Certificate gatewaySigner;
    final X509Certificate ca;

    private MailPki() throws Exception {
        Path root = Files.createDirectories(Path.of("target"))
                .resolve("mail-pki-" + ProcessHandle.current().pid());
        pki = DevelopmentPki.init(root.resolve("main"), List.of(ASSOCIATION), List.of(), Clock.systemUTC(), true);
        other = DevelopmentPki.init(root.resolve("other"), List.of(), List.of(), Clock.systemUTC(), true);
        password = Files.readAllLines(pki.pkcs12Password()).get(0).toCharArray();
        association = PemFiles.readCertifiedKey(pki.partnerCertificate(ASSOCIATION), pki.partnerKey(ASSOCIATION));
        gatewaySigner =
                PemFiles.readCertificates(pki.gatewaySigningCertificate()).get(0);
        ca = PemFiles.readCertificates(pki.caCertificate()).get(0);
        associationRsa = rsaRecipient(ca, PemFiles.readPrivateKey(pki.dir().resolve("ca-key.pem")));
        System.setProperty(
                "greenmail.tls.keystore.file",
                pki.dir().resolve("gateway-tls.p12").toString());
        System.setProperty("greenmail.tls.keystore.password", new String(password));
    }

    static synchronized MailPki get() {
        if (instance == null) {
            try {
                instance = new MailPki();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("the mail tests' PKI cannot be made", e);
            }
        }
        return instance;
    }

    char[] otherPassword() throws IOException {
        return Files.readAllLines(other.pkcs12Password()).get(0).toCharArray();
    }

    /** An RSA-3072 S/MIME certificate for the association, from the development CA: OpenSSL's smime needs RSA. */
    private static CertifiedKey rsaRecipient(X509Certificate ca, PrivateKey caKey) {
        Instant now = Instant.now();
        return Certificates.certificate("O=Passerelle development,CN=association-75-amarante RSA")
                .keys(Certificates.rsa(3072))
                .issuedBy(new CertifiedKey(caKey, List.of(ca)))
                .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)))
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                .extendedKeyUsage(KeyPurposeId.id_kp_emailProtection)
                .signatureAlgorithm("SHA384withECDSA")
                .certifiedKey();
    }
}
