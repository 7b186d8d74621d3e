package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The deployment's own certificate authority, as an operator runs it for its partners ({@code gateway pki issue},
 * {@code gateway pki import --csr}): a CA certificate and its key, read from PEM files, that issue partner
 * certificates (client authentication and S/MIME) for a key made here or for a partner's own certification request.
 * The certificate names the partner by its id (CN) and nothing else of the request: no person's name ever goes into
 * it. Keys made here are EC P-256 or RSA 3072; a request must carry one of those, or RSA larger.
 */
public final class CertificateAuthority {
    /** The key of a partner certificate: EC for the API and modern mail, RSA for the mail clients that need it. */
    public enum KeyType {
        EC_P256("ec"),
        RSA_3072("rsa");

        private final String code;

        KeyType(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** @throws GatewayException {@code request_invalid} for any other code than ec or rsa */
        public static KeyType of(String code) {
            for (KeyType type : values()) {
                if (type.code.equals(code)) {
                    return type;
                }
            }
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "key type '" + code + "' is unknown (expected: ec or rsa)");
        }
    }

    /** A certificate the CA issued, its key when made here, and the CA certificate that goes with it. */
    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate ca) {
        /** The certificate then the CA's, as a partner's entry pins it and a PEM bundle carries it. */
        public List<X509Certificate> chain() {
            return List.of(certificate, ca);
        }
    }

    static final int LEAF_YEARS = 2;
    private static final int RSA_BITS = 3072;
    private static final String ORGANISATION = "Passerelle";

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    CertificateAuthority(X509Certificate certificate, PrivateKey key, Clock clock) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads the CA from its certificate (the first of the PEM file) and its private key.
     *
     * @throws GatewayException {@code pki_failed} naming the file that is missing or unreadable, or when the
     *                          certificate is no CA's
     */
    public static CertificateAuthority load(Path certificateFile, Path keyFile, Clock clock) {
        X509Certificate certificate = PemFiles.readCertificates(certificateFile).get(0);
        if (certificate.getBasicConstraints() < 0) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    certificateFile + " is not a CA certificate (no basicConstraints CA:true): give the certificate"
                            + " of the CA that issues the partners' certificates");
        }
        return new CertificateAuthority(certificate, PemFiles.readPrivateKey(keyFile), clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A new key of {@code type} and a certificate for partner {@code id}. */
    public Issued issue(String id, KeyType type) {
        try {
            KeyPair keys = newKeyPair(type);
            return new Issued(sign(id, keys.getPublic()), keys.getPrivate(), certificate);
        } catch (GeneralSecurityException e) {
            throw failed("cannot make a " + type.code() + " key for " + id, e);
        }
    }

    /**
     * A certificate for partner {@code id} on the public key of its certification request (PKCS#10, PEM or DER),
     * once the request's own signature proves its sender holds the key. Only the key is taken from the request.
     *
     * @throws GatewayException {@code request_invalid} when the request cannot be read, its signature is wrong,
     *                          or its key is neither EC P-256 nor RSA of at least 3072 bits
     */
    public Issued sign(String id, byte[] request) {
        PKCS10CertificationRequest csr = parseRequest(request);
        PublicKey publicKey;
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
            publicKey = jca.getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "the certification request's signature does not match its key: ask the partner for a request"
                                + " made with its own key (openssl req -new -key KEY -out REQUEST.csr)");
            }
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the certification request's key or signature cannot be read ("
                            + e.getClass().getSimpleName()
                            + "): ask the partner for a PKCS#10 request with an EC P-256 or RSA 3072 key",
                    e);
        }
        checkKey(publicKey);
        return new Issued(sign(id, publicKey), null, certificate);
    }

    /**
     * Writes {@code <id>.pem} (certificate then CA) into {@code dir}, and when the key was made here,
     * {@code <id>-key.pem}, {@code <id>.p12} and its password in {@code <id>.p12-password.txt}, all three
     * readable by their owner only.
     *
     * @return the files written, certificate first
     */
    public static List<Path> write(Path dir, String id, Issued issued) {
        Path pem = dir.resolve(id + ".pem");
        PemFiles.writeCertificates(pem, issued.chain());
        if (issued.key() == null) {
            return List.of(pem);
        }
        Path keyFile = dir.resolve(id + "-key.pem");
        Path p12 = dir.resolve(id + ".p12");
        Path passwordFile = dir.resolve(id + ".p12-password.txt");
        PemFiles.writePrivateKey(keyFile, issued.key());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        char[] password =
                Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(id, issued.key(), password, issued.chain().toArray(X509Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            PkiFiles.writeSecret(p12, bytes.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw failed("cannot write " + p12, e);
        }
        PkiFiles.writeSecret(passwordFile, (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));
        return List.of(pem, keyFile, p12, passwordFile);
    }

    private X509Certificate sign(String id, PublicKey publicKey) {
        Instant now = clock.instant();
        boolean rsa = publicKey instanceof RSAPublicKey;
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.CN, id)
                .build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    certificate,
                    serial(),
                    Date.from(now.minusSeconds(300)),
                    // Not beyond the CA's own end: a chain must hold for the whole life of the leaf.
                    Date.from(min(
                            now.atZone(ZoneOffset.UTC).plusYears(LEAF_YEARS).toInstant(),
                            certificate.getNotAfter().toInstant())),
                    subject,
                    publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // The content key reaches an RSA key by key transport, an EC key by key agreement.
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement)));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection
            }));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm()).build(key)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw failed("cannot issue a certificate for " + id, e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private String signatureAlgorithm() {
        return certificate.getPublicKey() instanceof ECPublicKey ? "SHA384withECDSA" : "SHA256withRSA";
    }

    private KeyPair newKeyPair(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA_3072) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, random);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static void checkKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= RSA_BITS) {
            return;
        }
        if (key instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            return;
        }
        throw new GatewayException(
                ErrorCode.REQUEST_INVALID,
                "the certification request's key is " + key.getAlgorithm() + " "
                        + (key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() + " bits" : "")
                        + " (expected: EC P-256, or RSA of at least " + RSA_BITS + " bits): ask the partner for a"
                        + " request made with such a key");
    }

    private static PKCS10CertificationRequest parseRequest(byte[] request) {
        String text = new String(request, StandardCharsets.US_ASCII);
        try {
            if (text.contains("-----BEGIN")) {
                try (PEMParser parser = new PEMParser(new StringReader(text))) {
                    Object object = parser.readObject();
                    if (object instanceof PKCS10CertificationRequest csr) {
                        return csr;
                    }
                }
            } else {
                return new PKCS10CertificationRequest(request);
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw new GatewayException(
                ErrorCode.REQUEST_INVALID,
                "the file is not a PKCS#10 certification request (expected: PEM 'BEGIN CERTIFICATE REQUEST', or DER)");
    }

    /** A positive serial of exactly 16 bytes: top bit clear so it stays positive, next bit set so it stays long. */
    private BigInteger serial() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x7F) | 0x40);
        return new BigInteger(1, bytes);
    }

    private static GatewayException failed(String what, Exception e) {
        return new GatewayException(
                ErrorCode.PKI_FAILED, what + " (" + e.getClass().getSimpleName() + ")", e);
    }
}
