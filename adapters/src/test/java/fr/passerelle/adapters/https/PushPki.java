package fr.passerelle.adapters.https;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.testkit.Certificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;

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
record PushPki(
        X509Certificate anchor,
        CertifiedKey gatewayClient,
        CertifiedKey partnerServer,
        CertifiedKey otherHost,
        CertifiedKey foreignServer) {

    static PushPki create(Path dir) throws Exception {
        PkiResult ours = DevelopmentPki.init(dir.resolve("ours"), List.of(), List.of(), Clock.systemUTC(), false);
        PkiResult foreign = DevelopmentPki.init(dir.resolve("foreign"), List.of(), List.of(), Clock.systemUTC(), false);
        CertifiedKey ca =
                PemFiles.readCertifiedKey(ours.caCertificate(), ours.dir().resolve("ca-key.pem"));
        return new PushPki(
                ca.certificate(),
                leaf(ca, "Passerelle gateway")
                        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)
                        .certifiedKey(),
                leaf(ca, "siao-75 endpoint")
                        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
                        .dnsName("localhost")
                        .ipAddress("127.0.0.1")
                        .certifiedKey(),
                leaf(ca, "siao.example.fr")
                        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
                        .dnsName("siao.example.fr")
                        .certifiedKey(),
                PemFiles.readCertifiedKey(foreign.gatewayTlsCertificate(), foreign.gatewayTlsKey()));
    }

    /** A P-256 leaf of the development CA, valid for a day, signed as the development PKI signs. */
    private static Certificates.Builder leaf(CertifiedKey ca, String commonName) {
        return Certificates.certificate("O=" + DevelopmentPki.ORGANISATION + ",CN=" + commonName)
                .issuedBy(ca)
                .signatureAlgorithm("SHA384withECDSA");
    }
}
