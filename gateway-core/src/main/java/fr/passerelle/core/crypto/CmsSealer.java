package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.cms.bc.BcCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.Store;

/**
 * Signs what the gateway sends and encrypts it for its recipient, in CMS (RFC 5652) that any standard tool reads.
 *
 * <p>Signature profile: attached SignedData, SHA-256, a signing-time attribute taken from the clock, the
 * gateway's certificate chain included; ECDSA for an EC key, RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt)
 * for an RSA key of at least 3072 bits.
 *
 * <p>Envelope profile: {@link EnvelopeFormat#AES_256_GCM} gives AuthEnvelopedData (RFC 5083, RFC 5084),
 * {@link EnvelopeFormat#AES_256_CBC} and {@link EnvelopeFormat#COMPATIBLE} EnvelopedData. The content key goes to
 * an RSA recipient by RSAES-OAEP (SHA-256, MGF1-SHA-256), or by RSA PKCS#1 v1.5 with {@code compatible} (which
 * needs an RSA recipient), to an EC recipient by ephemeral-static ECDH ({@code dhSinglePass-stdDH-sha256kdf},
 * RFC 5753) with AES-256 key wrap; a fresh ephemeral key per envelope, on the recipient's curve, which its
 * {@code originatorKey} names by OID (RFC 5480: prime256v1 for P-256), never by explicit parameters.
 *
 * <p>Thread-safe: each call builds its own Bouncy Castle operators.
 *
 * <p>Speed: an EC signature or key generation multiplies the curve's generator by a scalar, with a table that
 * Bouncy Castle precomputes once per generator point object and keeps on it. Handing Bouncy Castle a JCA key or
 * parameter spec makes it convert the curve, and so a fresh generator point, on every call, and the table was
 * recomputed for every signature and every ephemeral key: most of the sealing time. The sealer therefore keeps
 * the EC signing key as Bouncy Castle's own key parameters, and each recipient curve as Bouncy Castle's own
 * named parameter spec, made once; the algorithms and the output are the same. Likewise the ECDH with an EC
 * recipient's static key: the sealer keeps each recipient's point, with a table built for it on its first
 * envelope ({@link EcdhRecipient}).
 */
public final class CmsSealer {
    private static final int MIN_RSA_BITS = 3072;
    private static final int MAX_KEPT_RECIPIENTS = 1024;
    private static final AlgorithmIdentifier ECDSA_SHA256 =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
    private static final AlgorithmIdentifier SHA256 = new DefaultDigestAlgorithmIdentifierFinder().find(ECDSA_SHA256);
    /** Bouncy Castle's own digests: stateless, shared, and no JCA look-up per signature. */
    private static final DigestCalculatorProvider DIGESTS = new BcDigestCalculatorProvider();

    private final CertifiedKey gatewaySigner;
    private final Clock clock;
    private final String signatureAlgorithm;
    /**
     * A random generator per thread: the default one (NativePRNG) serialises every caller on one JVM-wide lock, and
     * a worker descheduled while holding it stalled the others for tens of milliseconds. Each thread's is a NIST
     * SP 800-90A Hash_DRBG at 256-bit strength, seeded from the system's entropy.
     */
    private final ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(CmsSealer::drbg);
    /** The EC signing key as Bouncy Castle's parameters, whose generator keeps its precomputed table; empty for RSA. */
    private final Optional<AsymmetricKeyParameter> ecSigningKey;
    /** The signer's certificate and chain as Bouncy Castle holds them, converted once instead of per signature. */
    private final X509CertificateHolder signerCertificate;

    private final Store<X509CertificateHolder> chain;
    /** Each recipient curve met so far, as Bouncy Castle's spec, whose generator keeps its precomputed table. */
    private final Map<ASN1ObjectIdentifier, ECNamedCurveParameterSpec> curves = new ConcurrentHashMap<>();
    /**
     * Each EC recipient certificate met so far, its point kept with the table that makes the ECDH of later envelopes
     * cheap (see {@link EcdhRecipient}); empty for a curve that the kept form does not handle. Bounded: cleared when
     * it reaches {@value #MAX_KEPT_RECIPIENTS} certificates.
     */
    private final Map<X509Certificate, Optional<EcdhRecipient>> ecdhRecipients = new ConcurrentHashMap<>();
    /** The signing time of the latest signature: see {@link #signingTime()}. */
    private volatile SigningTime lastSigningTime;

    /**
     * @param gatewaySigner the gateway's signing key and its certificate chain, leaf first
     * @param clock         gives the signing time
     * @throws GatewayException {@code CONFIG_INVALID} if the key is neither EC nor RSA of at least 3072 bits
     */
    public CmsSealer(CertifiedKey gatewaySigner, Clock clock) {
        this.gatewaySigner = Objects.requireNonNull(gatewaySigner, "gatewaySigner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signatureAlgorithm = signatureAlgorithm(gatewaySigner);
        // A key held in a token has no encoding to convert: the token's provider signs with it.
        this.ecSigningKey = signatureAlgorithm.equals("SHA256withECDSA")
                        && gatewaySigner.provider().isEmpty()
                ? Optional.of(bouncyCastleKey(gatewaySigner))
                : Optional.empty();
        try {
            this.signerCertificate = new JcaX509CertificateHolder(gatewaySigner.certificate());
            this.chain = new JcaCertStore(gatewaySigner.chain());
        } catch (CertificateEncodingException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the gateway signing certificate " + Fingerprints.sha256(gatewaySigner.certificate())
                            + " or its chain cannot be encoded (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static AsymmetricKeyParameter bouncyCastleKey(CertifiedKey signer) {
        try {
            return PrivateKeyFactory.createKey(signer.key().getEncoded());
        } catch (IOException | RuntimeException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the gateway signing key of certificate "
                            + Fingerprints.sha256(signer.certificate()) + " cannot be read as an EC key ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static String signatureAlgorithm(CertifiedKey signer) {
        String what = "the gateway signing key of certificate " + Fingerprints.sha256(signer.certificate());
        return switch (signer.key().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> {
                int bits = ((RSAPublicKey) signer.certificate().getPublicKey())
                        .getModulus()
                        .bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw new GatewayException(
                            ErrorCode.CONFIG_INVALID,
                            what + ": RSA " + bits + " bits (expected: EC P-256, or RSA of at least " + MIN_RSA_BITS
                                    + " bits)");
                }
                yield "SHA256withRSAandMGF1";
            }
            default -> throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    what + ": "
                            + signer.key().getAlgorithm() + " (expected: EC P-256, or RSA of at least " + MIN_RSA_BITS
                            + " bits)");
        };
    }

    /**
     * Signs {@code content} as {@link #sign} does, then encrypts that SignedData (as the id-data content of the
     * envelope, the way {@code openssl cms -sign | openssl cms -encrypt} nests them) for {@code recipient}.
     *
     * @return a DER ContentInfo holding an AuthEnvelopedData (GCM) or EnvelopedData (CBC)
     * @throws GatewayException {@code CONFIG_INVALID} if the recipient's key is neither RSA nor EC;
     *                          {@code PKI_FAILED} if the JVM cannot sign or encrypt
     */
    public byte[] seal(byte[] content, X509Certificate recipient, EnvelopeFormat format) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(format, "format");
        return envelope(sign(content), recipient, format);
    }

    /**
     * An attached SignedData over {@code content}, for signed receipts and as the inside of {@link #seal}.
     *
     * @return a DER ContentInfo holding the SignedData
     * @throws GatewayException {@code PKI_FAILED} if the JVM cannot sign
     */
    public byte[] sign(byte[] content) {
        Objects.requireNonNull(content, "content");
        try {
            ContentSigner signer = contentSigner();
            // The signing time from our clock, not Bouncy Castle's: tests and audits pin it.
            AttributeTable signingTime =
                    new AttributeTable(new Attribute(CMSAttributes.signingTime, new DERSet(signingTime())));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(DIGESTS)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signingTime))
                    .build(signer, signerCertificate));
            generator.addCertificates(chain);
            return generator
                    .generate(new CMSProcessableByteArray(content), true)
                    .toASN1Structure()
                    .getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "the gateway cannot sign with the key of certificate "
                            + Fingerprints.sha256(gatewaySigner.certificate()) + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * The clock's instant as a CMS Time, to the second as CMS writes it. Bouncy Castle builds a Time with two
     * {@code SimpleDateFormat}s (one to write it, one to check it), which was 5 % of the workers' samples; the
     * signatures of one second share the one made for it.
     */
    private Time signingTime() {
        long second = clock.instant().getEpochSecond();
        SigningTime last = lastSigningTime;
        if (last == null || last.epochSecond() != second) {
            last = new SigningTime(second, new Time(Date.from(Instant.ofEpochSecond(second)), Locale.ROOT));
            lastSigningTime = last;
        }
        return last.time();
    }

    /** A second and its CMS Time, which is immutable. */
    private record SigningTime(long epochSecond, Time time) {}

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance(
                    "DRBG", DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException e) {
            throw new GatewayException(
                    ErrorCode.INTERNAL, "this JVM has no DRBG random generator (Java 9 and later" + " have one)", e);
        }
    }

    private ContentSigner contentSigner() throws OperatorCreationException {
        if (ecSigningKey.isPresent()) {
            // The same ECDSA with SHA-256 and DER signature value as the JCA signer, on the kept key parameters.
            return new BcECContentSignerBuilder(ECDSA_SHA256, SHA256)
                    .setSecureRandom(randoms.get())
                    .build(ecSigningKey.get());
        }
        return new JcaContentSignerBuilder(signatureAlgorithm)
                .setProvider(gatewaySigner.provider().orElse(BouncyCastle.PROVIDER))
                .setSecureRandom(randoms.get())
                .build(gatewaySigner.key());
    }

    /**
     * Encrypts {@code content} for {@code recipient} as it is, without signing it: for a content that carries its
     * own signature, such as a signed S/MIME entity.
     *
     * @return a DER ContentInfo holding an AuthEnvelopedData (GCM) or EnvelopedData (CBC)
     * @throws GatewayException as {@link #seal}
     */
    public byte[] encrypt(byte[] content, X509Certificate recipient, EnvelopeFormat format) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(format, "format");
        return envelope(content, recipient, format);
    }

    /** Encrypts already encoded bytes for {@code recipient}; package-private so tests can seal a forged inside. */
    byte[] envelope(byte[] signedData, X509Certificate recipient, EnvelopeFormat format) {
        try {
            RecipientInfoGenerator recipientInfo = recipientInfo(recipient, format);
            CMSProcessableByteArray plain = new CMSProcessableByteArray(signedData);
            ContentInfo envelope =
                    switch (format) {
                        case AES_256_GCM -> {
                            CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
                            generator.addRecipientInfoGenerator(recipientInfo);
                            yield generator
                                    .generate(plain, (OutputAEADEncryptor) encryptor(CMSAlgorithm.AES256_GCM))
                                    .toASN1Structure();
                        }
                        case AES_256_CBC, COMPATIBLE -> {
                            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
                            generator.addRecipientInfoGenerator(recipientInfo);
                            yield generator
                                    .generate(plain, encryptor(CMSAlgorithm.AES256_CBC))
                                    .toASN1Structure();
                        }
                    };
            return envelope.getEncoded(ASN1Encoding.DER);
        } catch (GeneralSecurityException | CMSException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "the gateway cannot encrypt for certificate " + Fingerprints.sha256(recipient) + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * Bouncy Castle's own AES, not its JCA provider's: the same cipher, key size, nonce or IV and parameters, without
     * the provider look-ups of a key generator, a cipher and its parameters for every envelope.
     */
    private OutputEncryptor encryptor(ASN1ObjectIdentifier cipher) throws CMSException {
        return new BcCMSContentEncryptorBuilder(cipher)
                .setSecureRandom(randoms.get())
                .build();
    }

    private RecipientInfoGenerator recipientInfo(X509Certificate recipient, EnvelopeFormat format)
            throws GeneralSecurityException {
        if (format == EnvelopeFormat.COMPATIBLE) {
            if (!(recipient.getPublicKey() instanceof RSAPublicKey)) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "envelope compatible needs an RSA recipient certificate, and "
                                + Fingerprints.sha256(recipient) + " has a "
                                + recipient.getPublicKey().getAlgorithm()
                                + " key: issue an RSA one (gateway pki issue ID --key rsa), or choose envelope:"
                                + " modern");
            }
            // rsaEncryption: RSA PKCS#1 v1.5 key transport, which every S/MIME client decrypts.
            return new JceKeyTransRecipientInfoGenerator(recipient).setProvider(BouncyCastle.PROVIDER);
        }
        if (recipient.getPublicKey() instanceof RSAPublicKey) {
            OAEPParameterSpec oaep =
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            return new JceKeyTransRecipientInfoGenerator(
                            recipient,
                            new JcaAlgorithmParametersConverter()
                                    .getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, oaep))
                    .setProvider(BouncyCastle.PROVIDER);
        }
        if (recipient.getPublicKey() instanceof ECPublicKey) {
            Optional<EcdhRecipient> kept = ecdhRecipient(recipient);
            ECNamedCurveParameterSpec curve = kept.isPresent() ? kept.get().curve() : namedCurve(recipient);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(curve, randoms.get());
            KeyPair ephemeral = generator.generateKeyPair();
            if (kept.isPresent()) {
                return kept.get().infoGenerator(ephemeral);
            }
            return new JceKeyAgreeRecipientInfoGenerator(
                            CMSAlgorithm.ECDH_SHA256KDF,
                            ephemeral.getPrivate(),
                            ephemeral.getPublic(),
                            CMSAlgorithm.AES256_WRAP)
                    .addRecipient(recipient)
                    .setProvider(BouncyCastle.PROVIDER)
                    .setSecureRandom(randoms.get());
        }
        throw new GatewayException(
                ErrorCode.CONFIG_INVALID,
                "recipient certificate " + Fingerprints.sha256(recipient) + " has a "
                        + recipient.getPublicKey().getAlgorithm() + " key (expected: RSA or EC)");
    }

    private Optional<EcdhRecipient> ecdhRecipient(X509Certificate recipient) throws GeneralSecurityException {
        Optional<EcdhRecipient> kept = ecdhRecipients.get(recipient);
        if (kept == null) {
            if (ecdhRecipients.size() >= MAX_KEPT_RECIPIENTS) {
                // Certificates are replaced, not multiplied: a full map holds mostly retired ones.
                ecdhRecipients.clear();
            }
            kept = EcdhRecipient.of(recipient, namedCurve(recipient));
            ecdhRecipients.put(recipient, kept);
        }
        return kept;
    }

    /**
     * The recipient's curve as Bouncy Castle's named spec, so that the ephemeral key's encoding, and with it the
     * {@code originatorKey} of the envelope, names the curve by its OID (RFC 5480) instead of spelling out its
     * parameters; looked up by the OID, Bouncy Castle's spec also brings its fast implementation of the curve.
     */
    private ECNamedCurveParameterSpec namedCurve(X509Certificate recipient) {
        ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(
                        recipient.getPublicKey().getEncoded())
                .getAlgorithm()
                .getParameters();
        ECNamedCurveParameterSpec curve = parameters instanceof ASN1ObjectIdentifier oid
                ? curves.computeIfAbsent(oid, o -> ECNamedCurveTable.getParameterSpec(o.getId()))
                : null;
        if (curve == null) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "recipient certificate " + Fingerprints.sha256(recipient) + " has an EC key with "
                            + (parameters instanceof ASN1ObjectIdentifier oid
                                    ? "unknown curve " + oid.getId()
                                    : "explicit curve parameters")
                            + " (expected: a named curve, P-256, P-384 or P-521)");
        }
        return curve;
    }
}
