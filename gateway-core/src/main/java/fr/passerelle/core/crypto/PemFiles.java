package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes certificates and private keys as PEM, the way OpenSSL does.
 *
 * <p>Reading accepts what OpenSSL writes: certificate chains ({@code BEGIN CERTIFICATE}, in file order, text
 * between blocks ignored), unencrypted PKCS#8 keys ({@code BEGIN PRIVATE KEY}) and the traditional
 * {@code BEGIN EC PRIVATE KEY} and {@code BEGIN RSA PRIVATE KEY}. Every reading error is a
 * {@link GatewayException} with code {@code CONFIG_INVALID} whose message names the file, what is wrong and what
 * was expected; no message ever holds key material. Writing failures have code {@code PKI_FAILED}. Private keys
 * are written as unencrypted PKCS#8 with permissions 0600 where the file system supports POSIX permissions.
 */
public final class PemFiles {
    private static final String EXPECTED_CERTIFICATES = "expected: one or more PEM blocks 'BEGIN CERTIFICATE'";
    private static final String EXPECTED_KEY = "expected: one unencrypted private key, 'BEGIN PRIVATE KEY' (PKCS#8),"
            + " 'BEGIN EC PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY'";

    private PemFiles() {}

    /**
     * @return the certificates of {@code file} in file order, never empty: for a chain, the leaf first
     * @throws GatewayException {@code CONFIG_INVALID} if the file is missing, unreadable, holds no certificate or
     *                          holds anything else than certificates (a private key, say)
     */
    public static List<X509Certificate> readCertificates(Path file) {
        return parseCertificates(file, readBytes(file, EXPECTED_CERTIFICATES));
    }

    /**
     * As {@link #readCertificates(Path)}, from bytes already read (a configuration version held in the database).
     *
     * @param file what the messages call the bytes: the file they came from
     */
    public static List<X509Certificate> parseCertificates(Path file, byte[] bytes) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : parseObjects(file, bytes, EXPECTED_CERTIFICATES)) {
            if (!(object instanceof X509CertificateHolder holder)) {
                throw invalid(
                        file,
                        "holds " + describe(object) + " where only certificates belong (" + EXPECTED_CERTIFICATES
                                + ")");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        file + ": certificate " + (certificates.size() + 1) + " cannot be decoded ("
                                + EXPECTED_CERTIFICATES + ")",
                        e);
            }
        }
        if (certificates.isEmpty()) {
            throw invalid(file, "holds no certificate (" + EXPECTED_CERTIFICATES + ")");
        }
        return List.copyOf(certificates);
    }

    /**
     * @return the one private key of {@code file}; certificates beside it are ignored, as are EC parameters
     * @throws GatewayException {@code CONFIG_INVALID} if the file is missing, unreadable, holds no key, more than
     *                          one key, or an encrypted key
     */
    public static PrivateKey readPrivateKey(Path file) {
        PrivateKeyInfo found = null;
        for (Object object : readObjects(file, EXPECTED_KEY)) {
            PrivateKeyInfo info;
            if (object instanceof PrivateKeyInfo pkcs8) {
                info = pkcs8;
            } else if (object instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (object instanceof X509CertificateHolder || object instanceof ASN1ObjectIdentifier) {
                continue;
            } else {
                throw invalid(file, "holds " + describe(object) + " (" + EXPECTED_KEY + ")");
            }
            if (found != null) {
                throw invalid(file, "holds more than one private key (" + EXPECTED_KEY + ")");
            }
            found = info;
        }
        if (found == null) {
            throw invalid(file, "holds no private key (" + EXPECTED_KEY + ")");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(found);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    file + ": the private key of algorithm "
                            + found.getPrivateKeyAlgorithm().getAlgorithm().getId()
                            + " cannot be decoded (expected: an EC, RSA or EdDSA key)",
                    e);
        }
    }

    /**
     * Reads a certificate chain and its private key, and checks that the key belongs to the leaf certificate.
     *
     * @throws GatewayException {@code CONFIG_INVALID} for any reading error, or if the key is not the leaf's
     */
    public static CertifiedKey readCertifiedKey(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(keyFile);
        X509Certificate leaf = chain.get(0);
        if (!belongsTo(key, leaf.getPublicKey())) {
            throw invalid(
                    keyFile,
                    "the private key does not belong to the first certificate of "
                            + certificateFile + " (expected: the key of "
                            + leaf.getSubjectX500Principal().getName()
                            + ", fingerprint " + Fingerprints.sha256(leaf) + ")");
        }
        return new CertifiedKey(key, chain);
    }

    /**
     * Writes {@code chain} to {@code file} as PEM certificates, in order, replacing the file.
     *
     * @throws GatewayException {@code PKI_FAILED} if the file cannot be written
     */
    public static void writeCertificates(Path file, List<X509Certificate> chain) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    file + ": certificates cannot be encoded" + " (expected: X.509 certificates)",
                    e);
        }
        PkiFiles.writePublic(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Writes {@code key} to {@code file} as an unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), replacing the
     * file, readable by its owner alone where the file system has POSIX permissions.
     *
     * @throws GatewayException {@code PKI_FAILED} if the key has no PKCS#8 encoding or the file cannot be written
     */
    public static void writePrivateKey(Path file, PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    file + ": the " + key.getAlgorithm()
                            + " private key cannot be exported (expected: a key with a PKCS#8 encoding, not one held in"
                            + " a token)");
        }
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("PRIVATE KEY", encoded));
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED, file + ": the private key cannot be encoded" + " (expected: PKCS#8)", e);
        }
        PkiFiles.writeSecret(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code key} is the private half of {@code publicKey}: it signs, the public key verifies. */
    static boolean belongsTo(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "EC" -> "SHA256withECDSA";
                    case "RSA" -> "SHA256withRSA";
                    case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
                    default -> null;
                };
        if (algorithm == null) {
            // No probe for this algorithm: the TLS handshake or the signature check will tell.
            return true;
        }
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<Object> readObjects(Path file, String expected) {
        return parseObjects(file, readBytes(file, expected), expected);
    }

    private static byte[] readBytes(Path file, String expected) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw invalid(file, "does not exist (" + expected + ")");
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    file + ": cannot be read (" + e.getClass().getSimpleName() + "; " + expected + ")",
                    e);
        }
    }

    private static List<Object> parseObjects(Path file, byte[] bytes, String expected) {
        if (bytes.length > 1 && bytes[0] == 0x30 && (bytes[1] & 0x80) != 0) {
            throw invalid(file, "is binary DER, not PEM (" + expected + "; convert it with openssl)");
        }
        List<Object> objects = new ArrayList<>();
        // ISO-8859-1 decodes any byte: stray bytes outside the PEM blocks are ignored, as OpenSSL does.
        try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            // The parser's own message may quote a PEM header but never the content; keep it out anyway.
            throw invalid(file, "is not valid PEM after block " + objects.size() + " (" + expected + ")");
        }
        return objects;
    }

    private static String describe(Object object) {
        if (object instanceof X509CertificateHolder) {
            return "a certificate";
        }
        if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
            return "a private key";
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            return "an encrypted private key";
        }
        if (object instanceof SubjectPublicKeyInfo) {
            return "a public key";
        }
        if (object instanceof PKCS10CertificationRequest) {
            return "a certificate request";
        }
        if (object instanceof X509CRLHolder) {
            return "a certificate revocation list";
        }
        if (object instanceof ASN1ObjectIdentifier) {
            return "EC parameters";
        }
        return "a PEM block of another type";
    }

    private static GatewayException invalid(Path file, String what) {
        return new GatewayException(ErrorCode.CONFIG_INVALID, file + ": " + what);
    }
}
