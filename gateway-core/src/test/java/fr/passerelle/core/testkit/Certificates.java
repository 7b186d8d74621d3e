package fr.passerelle.core.testkit;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.PemFiles;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys and certificates generated for a test with Bouncy Castle, where the development PKI does not make what
 * the test needs: a CA, leaves it signs, self-signed certificates, RSA keys, odd curves, validity windows in the
 * past or the future, chosen key usages, extended key usages, subject alternative names, serial numbers, OCSP
 * responders and CRL distribution points, and the CRLs that a CA signs.
 *
 * <pre>{@code
 * Certificates.Issued ca = Certificates.ca("Test partners CA");
 * CertifiedKey server = Certificates.certificate("CN=siao-75 endpoint").issuedBy(ca)
 *         .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).dnsName("localhost").certifiedKey();
 * }</pre>
 */
public final class Certificates {
    public static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    public static final Instant UNTIL = Instant.parse("2028-01-01T00:00:00Z");
    public static final int SIGN_AND_AGREE = KeyUsage.digitalSignature | KeyUsage.keyAgreement;
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A key pair and its certificate; {@code chain} is the certificate, then its issuers' up to the root. */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
        public Issued {
            chain = List.copyOf(chain);
        }

        public CertifiedKey certifiedKey() {
            return new CertifiedKey(keys.getPrivate(), chain);
        }
    }

    private Certificates() {}

    /** A key pair on the named curve, from Bouncy Castle when the JDK does not know the curve (secp256k1). */
    public static KeyPair ec(String curve) {
        try {
            return ecFrom(KeyPairGenerator.getInstance("EC"), curve);
        } catch (InvalidAlgorithmParameterException e) {
            try {
                return ecFrom(KeyPairGenerator.getInstance("EC", new BouncyCastleProvider()), curve);
            } catch (GeneralSecurityException bc) {
                throw new IllegalStateException("no EC key on " + curve, bc);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC key on " + curve, e);
        }
    }

    private static KeyPair ecFrom(KeyPairGenerator generator, String curve) throws GeneralSecurityException {
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key of " + bits + " bits", e);
        }
    }

    /** A certificate for {@code subject} (a distinguished name such as {@code CN=siao-75,O=Passerelle tests}). */
    public static Builder certificate(String subject) {
        return new Builder(new X500Name(subject));
    }

    /** A self-signed P-256 CA named {@code CN=name}, valid from {@link #FROM} until {@link #UNTIL}. */
    public static Issued ca(String name) {
        return certificate("CN=" + name).ca().validity(FROM, UNTIL).issue();
    }

    /** A P-256 leaf valid 2025-01-01 to 2028-01-01, for signing and key agreement. */
    public static X509Certificate leaf(Issued ca, String id) {
        return leaf(ca, id, ec("secp256r1"), FROM, UNTIL, SIGN_AND_AGREE);
    }

    public static X509Certificate leaf(Issued ca, String id, KeyPair keys, Instant from, Instant until, int usage) {
        return certificate("CN=" + id)
                .keys(keys)
                .issuedBy(ca)
                .validity(from, until)
                .keyUsage(usage)
                .issue()
                .certificate();
    }

    /**
     * A CRL that {@code ca} signs, issued at {@code thisUpdate}, next due at {@code nextUpdate}, listing
     * {@code revoked} as revoked an hour before {@code thisUpdate}.
     */
    public static X509CRL crl(Issued ca, Instant thisUpdate, Instant nextUpdate, X509Certificate... revoked) {
        try {
            X509v2CRLBuilder builder =
                    new JcaX509v2CRLBuilder(ca.certificate().getSubjectX500Principal(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (X509Certificate certificate : revoked) {
                builder.addCRLEntry(
                        certificate.getSerialNumber(),
                        Date.from(thisUpdate.minus(Duration.ofHours(1))),
                        CRLReason.keyCompromise);
            }
            String algorithm =
                    ca.keys().getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CRLConverter()
                    .getCRL(builder.build(new JcaContentSignerBuilder(algorithm)
                            .build(ca.keys().getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test CRL", e);
        }
    }

    public static void write(Path file, X509Certificate... chain) {
        PemFiles.writeCertificates(file, List.of(chain));
    }

    /**
     * One certificate to issue. By default: a new P-256 key, self-signed, valid from an hour ago for a day, an end
     * entity for digital signature, no extended key usage nor alternative name, signed with SHA-256.
     */
    public static final class Builder {
        private final X500Name subject;
        private KeyPair keys;
        private X500Name issuer;
        private PrivateKey issuerKey;
        private List<X509Certificate> issuerChain = List.of();
        private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(1));
        private int keyUsage = KeyUsage.digitalSignature;
        private boolean ca;
        private final List<KeyPurposeId> purposes = new ArrayList<>();
        private final List<GeneralName> names = new ArrayList<>();
        private final List<AccessDescription> access = new ArrayList<>();
        private final List<DistributionPoint> crlPoints = new ArrayList<>();
        private BigInteger serial;
        private String signatureAlgorithm;

        private Builder(X500Name subject) {
            this.subject = subject;
        }

        public Builder keys(KeyPair pair) {
            keys = pair;
            return this;
        }

        public Builder issuedBy(Issued authority) {
            return issuedBy(authority.certificate(), authority.keys().getPrivate(), authority.chain());
        }

        public Builder issuedBy(CertifiedKey authority) {
            return issuedBy(authority.certificate(), authority.key(), authority.chain());
        }

        private Builder issuedBy(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
            issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            issuerKey = key;
            issuerChain = chain;
            return this;
        }

        public Builder validity(Instant from, Instant until) {
            notBefore = from;
            notAfter = until;
            return this;
        }

        /** The key usage bits, such as {@code KeyUsage.digitalSignature | KeyUsage.keyEncipherment}. */
        public Builder keyUsage(int usage) {
            keyUsage = usage;
            return this;
        }

        /** A CA certificate (basic constraints CA, path length 0) that signs certificates and CRLs. */
        public Builder ca() {
            ca = true;
            keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            return this;
        }

        public Builder extendedKeyUsage(KeyPurposeId... more) {
            purposes.addAll(List.of(more));
            return this;
        }

        public Builder dnsName(String name) {
            names.add(new GeneralName(GeneralName.dNSName, name));
            return this;
        }

        public Builder ipAddress(String address) {
            names.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        public Builder email(String address) {
            names.add(new GeneralName(GeneralName.rfc822Name, address));
            return this;
        }

        /** The serial number; by default the next of a counter shared by every certificate of the test run. */
        public Builder serial(BigInteger number) {
            serial = number;
            return this;
        }

        /** An OCSP responder in the authority information access, such as {@code http://127.0.0.1:4321/}. */
        public Builder ocspResponder(String url) {
            access.add(new AccessDescription(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, url)));
            return this;
        }

        /** A CRL distribution point, such as {@code http://127.0.0.1:4321/ca.crl}. */
        public Builder crlDistributionPoint(String url) {
            crlPoints.add(new DistributionPoint(
                    new DistributionPointName(
                            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))),
                    null,
                    null));
            return this;
        }

        /** The issuer's signature, such as {@code SHA384withECDSA}; by default SHA-256 with the issuer's key type. */
        public Builder signatureAlgorithm(String algorithm) {
            signatureAlgorithm = algorithm;
            return this;
        }

        public Issued issue() {
            KeyPair subjectKeys = keys != null ? keys : ec("secp256r1");
            PrivateKey signer = issuerKey != null ? issuerKey : subjectKeys.getPrivate();
            String algorithm = signatureAlgorithm != null
                    ? signatureAlgorithm
                    : signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            try {
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        issuer != null ? issuer : subject,
                        serial != null ? serial : BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(notBefore),
                        Date.from(notAfter),
                        subject,
                        subjectKeys.getPublic());
                builder.addExtension(
                        Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                if (!purposes.isEmpty()) {
                    builder.addExtension(
                            Extension.extendedKeyUsage,
                            false,
                            new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
                }
                if (!names.isEmpty()) {
                    builder.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
                if (!access.isEmpty()) {
                    builder.addExtension(
                            Extension.authorityInfoAccess,
                            false,
                            new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
                }
                if (!crlPoints.isEmpty()) {
                    builder.addExtension(
                            Extension.cRLDistributionPoints,
                            false,
                            new CRLDistPoint(crlPoints.toArray(DistributionPoint[]::new)));
                }
                X509Certificate certificate = new JcaX509CertificateConverter()
                        .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
                List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
                chain.addAll(issuerChain);
                return new Issued(subjectKeys, certificate, chain);
            } catch (Exception e) {
                throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
            }
        }

        /** The issued certificate with its key and chain. */
        public CertifiedKey certifiedKey() {
            return issue().certifiedKey();
        }
    }
}
