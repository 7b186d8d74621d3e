package fr.passerelle.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Keys, certificates and CMS structures that the development PKI does not make: RSA keys, certificates expired or
 * not yet valid, detached and multi-signer SignedData, and byte flips to tamper with what was sealed.
 */
final class CmsFixtures {
    /** A fixed instant on whole seconds, as CMS signing times carry no fraction. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final byte[] BODY = "{\"type\":\"shelter-request\",\"department\":\"75\",\"urgency\":\"high\"}"
            .getBytes(StandardCharsets.UTF_8);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CmsFixtures() {
    }

    static CertifiedKey rsa(int bits, String name, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return selfSigned(generator.generateKeyPair(), "SHA256withRSA", name, notBefore, notAfter,
                    KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static CertifiedKey ec(String name, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return selfSigned(generator.generateKeyPair(), "SHA256withECDSA", name, notBefore, notAfter,
                    KeyUsage.digitalSignature | KeyUsage.keyAgreement);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static CertifiedKey selfSigned(KeyPair keys, String algorithm, String name, Instant notBefore,
            Instant notAfter, int keyUsage) {
        try {
            X500Name subject = new X500Name("CN=" + name + ",O=Passerelle tests");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
            return new CertifiedKey(keys.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A SignedData over {@code content} by each signer, SHA-256 ECDSA, attached or detached, DER. */
    static byte[] signedData(byte[] content, boolean attached, CertifiedKey... signers) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            List<X509Certificate> certificates = new ArrayList<>();
            for (CertifiedKey signer : signers) {
                generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().build())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.key()),
                                signer.certificate()));
                certificates.add(signer.certificate());
            }
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSProcessableByteArray(content), attached).toASN1Structure()
                    .getEncoded(ASN1Encoding.DER);
        } catch (GeneralSecurityException | OperatorCreationException | CMSException | IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A copy of {@code bytes} with one bit flipped in the middle of the first occurrence of {@code part}. */
    static byte[] flipInside(byte[] bytes, byte[] part) {
        int at = indexOf(bytes, part);
        if (at < 0) {
            throw new AssertionError("part not found");
        }
        byte[] copy = Arrays.copyOf(bytes, bytes.length);
        copy[at + part.length / 2] ^= 0x01;
        return copy;
    }

    static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i <= bytes.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
