package fr.passerelle.core.testkit;

import fr.passerelle.core.crypto.PemFiles;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates generated for a test with Bouncy Castle: a CA, and leaves with the flaws a test needs. */
public final class Certificates {
    public static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    public static final Instant UNTIL = Instant.parse("2028-01-01T00:00:00Z");
    public static final int SIGN_AND_AGREE = KeyUsage.digitalSignature | KeyUsage.keyAgreement;
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private Certificates() {
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued ca(String name) {
        KeyPair keys = ec("secp256r1");
        return new Issued(keys, build(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys, FROM,
                UNTIL, KeyUsage.keyCertSign | KeyUsage.cRLSign, true));
    }

    /** A P-256 leaf valid 2025-01-01 to 2028-01-01, for signing and key agreement. */
    public static X509Certificate leaf(Issued ca, String id) {
        return leaf(ca, id, ec("secp256r1"), FROM, UNTIL, SIGN_AND_AGREE);
    }

    public static X509Certificate leaf(Issued ca, String id, KeyPair keys, Instant from, Instant until, int usage) {
        return build(new X500Name("CN=" + id), keys,
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.keys(), from, until,
                usage, false);
    }

    public static void write(Path file, X509Certificate... chain) {
        PemFiles.writeCertificates(file, List.of(chain));
    }

    private static X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, KeyPair issuerKeys,
            Instant from, Instant until, int usage, boolean ca) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(0)
                    : new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                    : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
