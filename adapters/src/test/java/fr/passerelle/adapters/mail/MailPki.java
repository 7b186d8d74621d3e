package fr.passerelle.adapters.mail;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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
        Path root = Files.createDirectories(Path.of("target")).resolve("mail-pki-" + ProcessHandle.current().pid());
        pki = DevelopmentPki.init(root.resolve("main"), List.of(ASSOCIATION), List.of(), Clock.systemUTC(), true);
        other = DevelopmentPki.init(root.resolve("other"), List.of(), List.of(), Clock.systemUTC(), true);
        password = Files.readAllLines(pki.pkcs12Password()).get(0).toCharArray();
        association = PemFiles.readCertifiedKey(pki.partnerCertificate(ASSOCIATION), pki.partnerKey(ASSOCIATION));
        gatewaySigner = PemFiles.readCertificates(pki.gatewaySigningCertificate()).get(0);
        ca = PemFiles.readCertificates(pki.caCertificate()).get(0);
        associationRsa = rsaRecipient(ca, PemFiles.readPrivateKey(pki.dir().resolve("ca-key.pem")));
        System.setProperty("greenmail.tls.keystore.file", pki.dir().resolve("gateway-tls.p12").toString());
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
    private static CertifiedKey rsaRecipient(X509Certificate ca, PrivateKey caKey) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072, new SecureRandom());
        var keys = generator.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("O=Passerelle development,CN=association-75-amarante RSA"), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(caKey)));
        return new CertifiedKey(keys.getPrivate(), List.of(certificate, ca));
    }
}
