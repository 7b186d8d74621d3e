package fr.passerelle.core.crypto;

import fr.passerelle.core.testkit.Certificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
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

    private CmsFixtures() {}

    static CertifiedKey rsa(int bits, String name, Instant notBefore, Instant notAfter) {
        return selfSigned(
                Certificates.rsa(bits),
                name,
                notBefore,
                notAfter,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
    }

    static CertifiedKey ec(String name, Instant notBefore, Instant notAfter) {
        return selfSigned(
                Certificates.ec("secp256r1"),
                name,
                notBefore,
                notAfter,
                KeyUsage.digitalSignature | KeyUsage.keyAgreement);
    }

    private static CertifiedKey selfSigned(
            KeyPair keys, String name, Instant notBefore, Instant notAfter, int keyUsage) {
        return Certificates.certificate("CN=" + name + ",O=Passerelle tests")
                .keys(keys)
                .validity(notBefore, notAfter)
                .keyUsage(keyUsage)
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection)
                .certifiedKey();
    }

    /** A SignedData over {@code content} by each signer, SHA-256 ECDSA, attached or detached, DER. */
    static byte[] signedData(byte[] content, boolean attached, CertifiedKey... signers) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            List<X509Certificate> certificates = new ArrayList<>();
            for (CertifiedKey signer : signers) {
                generator.addSignerInfoGenerator(
                        new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                                .build(
                                        new JcaContentSignerBuilder("SHA256withECDSA").build(signer.key()),
                                        signer.certificate()));
                certificates.add(signer.certificate());
            }
            generator.addCertificates(new JcaCertStore(certificates));
            return generator
                    .generate(new CMSProcessableByteArray(content), attached)
                    .toASN1Structure()
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
