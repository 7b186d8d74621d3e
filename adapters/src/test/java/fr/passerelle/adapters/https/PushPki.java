package fr.passerelle.adapters.https;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for HTTPS push tests: the development PKI's CA (the gateway's trust anchor), with leaves it
 * issues here for the gateway's client side and for partner servers, and a second development PKI whose CA the
 * gateway does not trust.
 *
 * @param anchor        the development CA, the one trust anchor of the transport under test
 * @param gatewayClient the gateway's TLS key: serverAuth and clientAuth, issued by {@code anchor}
 * @param partnerServer a partner's server certificate naming localhost and 127.0.0.1, issued by {@code anchor}
 * @param otherHost     a server certificate naming only siao.example.fr, issued by {@code anchor}
 * @param foreignServer a server certificate for localhost from another CA
 */
record PushPki(X509Certificate anchor, CertifiedKey gatewayClient, CertifiedKey partnerServer,
               CertifiedKey otherHost, CertifiedKey foreignServer) {

    static PushPki create(Path dir) throws Exception {
        PkiResult ours = DevelopmentPki.init(dir.resolve("ours"), List.of(), List.of(), Clock.systemUTC(), false);
        PkiResult foreign = DevelopmentPki.init(dir.resolve("foreign"), List.of(), List.of(), Clock.systemUTC(),
                false);
        CertifiedKey ca = PemFiles.readCertifiedKey(ours.caCertificate(), ours.dir().resolve("ca-key.pem"));
        return new PushPki(ca.certificate(),
                issue(ca, "Passerelle gateway", List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
                        List.of()),
                issue(ca, "siao-75 endpoint", List.of(KeyPurposeId.id_kp_serverAuth),
                        List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1"))),
                issue(ca, "siao.example.fr", List.of(KeyPurposeId.id_kp_serverAuth),
                        List.of(new GeneralName(GeneralName.dNSName, "siao.example.fr"))),
                PemFiles.readCertifiedKey(foreign.gatewayTlsCertificate(), foreign.gatewayTlsKey()));
    }

    private static CertifiedKey issue(CertifiedKey ca, String commonName, List<KeyPurposeId> purposes,
            List<GeneralName> names) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
                BigInteger.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name("O=" + DevelopmentPki.ORGANISATION + ",CN=" + commonName), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
        if (!names.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(ca.key())));
        return new CertifiedKey(keys.getPrivate(), List.of(certificate, ca.certificate()));
    }
}
