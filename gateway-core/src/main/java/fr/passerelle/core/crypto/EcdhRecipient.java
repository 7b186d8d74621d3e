package fr.passerelle.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.Pack;

/**
 * An EC recipient's certificate, read once, for the ephemeral-static ECDH of {@link CmsSealer}
 * ({@code dhSinglePass-stdDH-sha256kdf} with AES-256 key wrap, RFC 5753): the same computation and the same
 * KeyAgreeRecipientInfo as Bouncy Castle's {@code JceKeyAgreeRecipientInfoGenerator}, on a kept point.
 *
 * <p>Why: the recipient's key is static, but Bouncy Castle's agreement decodes it into a fresh point for every
 * envelope and multiplies that point with a window table built for it alone. Kept here, the point carries a
 * fixed-base comb table (the kind Bouncy Castle keeps for the curve's generator), built on the first envelope and
 * reused by every later one: a fraction of the doublings of a variable-base multiplication.
 *
 * <p>Immutable and thread-safe; the table is built once, under Bouncy Castle's own lock on the point.
 */
final class EcdhRecipient {
    private static final ECMultiplier COMB = new FixedPointCombMultiplier();
    private static final int KEK_BITS = 256;

    private final ECNamedCurveParameterSpec curve;
    private final KeyAgreeRecipientIdentifier id;
    private final ECPublicKeyParameters key;

    private EcdhRecipient(ECNamedCurveParameterSpec curve, KeyAgreeRecipientIdentifier id, ECPublicKeyParameters key) {
        this.curve = curve;
        this.id = id;
        this.key = key;
    }

    /** The recipient's curve, on which each envelope's ephemeral key is made. */
    ECNamedCurveParameterSpec curve() {
        return curve;
    }

    /**
     * The recipient's point on {@code curve}, validated; empty for a curve whose cofactor is not 1, which this
     * class does not handle (the sealer then uses Bouncy Castle's generator).
     *
     * @throws CertificateEncodingException if the certificate cannot be encoded
     * @throws InvalidKeyException          if the key is not a valid point of {@code curve}
     */
    static Optional<EcdhRecipient> of(X509Certificate certificate, ECNamedCurveParameterSpec curve)
            throws CertificateEncodingException, InvalidKeyException {
        if (!BigInteger.ONE.equals(curve.getH())) {
            return Optional.empty();
        }
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        byte[] point = SubjectPublicKeyInfo.getInstance(
                        certificate.getPublicKey().getEncoded())
                .getPublicKeyData()
                .getBytes();
        ECPublicKeyParameters key;
        try {
            // Decoding and the constructor check that the point lies on the curve, once instead of per envelope.
            key = new ECPublicKeyParameters(curve.getCurve().decodePoint(point), domain);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("the EC key is not a point of its curve", e);
        }
        // Issuer and serial as the certificate encodes them, as Bouncy Castle's generator takes them.
        Certificate parsed = Certificate.getInstance(certificate.getEncoded());
        IssuerAndSerialNumber issuerAndSerial = new IssuerAndSerialNumber(
                parsed.getIssuer(), parsed.getSerialNumber().getValue());
        return Optional.of(new EcdhRecipient(curve, new KeyAgreeRecipientIdentifier(issuerAndSerial), key));
    }

    /** The recipient info of one envelope, agreed with {@code ephemeral}, a fresh key pair on the same curve. */
    RecipientInfoGenerator infoGenerator(KeyPair ephemeral) {
        return new Generator(ephemeral);
    }

    private final class Generator extends KeyAgreeRecipientInfoGenerator {
        private final BigInteger ephemeralScalar;

        Generator(KeyPair ephemeral) {
            super(
                    CMSAlgorithm.ECDH_SHA256KDF,
                    SubjectPublicKeyInfo.getInstance(ephemeral.getPublic().getEncoded()),
                    CMSAlgorithm.AES256_WRAP);
            this.ephemeralScalar = ((ECPrivateKey) ephemeral.getPrivate()).getS();
        }

        @Override
        protected ASN1Sequence generateRecipientEncryptedKeys(
                AlgorithmIdentifier keyAgreement, AlgorithmIdentifier keyEncryption, GenericKey contentKey)
                throws CMSException {
            byte[] plainKey = plain(contentKey);
            ECPoint shared = COMB.multiply(key.getQ(), ephemeralScalar).normalize();
            if (shared.isInfinity()) {
                throw new CMSException("the ECDH agreement gave the point at infinity");
            }
            ECDomainParameters domain = key.getParameters();
            byte[] z = BigIntegers.asUnsignedByteArray(
                    (domain.getCurve().getFieldSize() + 7) / 8,
                    shared.getAffineXCoord().toBigInteger());
            // ANSI X9.63 KDF with SHA-256 (KDF2) over the ECC-CMS-SharedInfo of RFC 5753, section 7.2.
            byte[] sharedInfo;
            try {
                sharedInfo = new ECCCMSSharedInfo(keyEncryption, null, Pack.intToBigEndian(KEK_BITS))
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new CMSException("cannot encode the ECC-CMS-SharedInfo", e);
            }
            KDF2BytesGenerator kdf = new KDF2BytesGenerator(new SHA256Digest());
            kdf.init(new KDFParameters(z, sharedInfo));
            byte[] kek = new byte[KEK_BITS / 8];
            kdf.generateBytes(kek, 0, kek.length);
            // AES key wrap (RFC 3394), as the JCA's AESWrap.
            AESWrapEngine wrap = new AESWrapEngine();
            wrap.init(true, new KeyParameter(kek));
            byte[] wrapped = wrap.wrap(plainKey, 0, plainKey.length);
            return new DERSequence(new RecipientEncryptedKey(id, new DEROctetString(wrapped)));
        }

        private static byte[] plain(GenericKey contentKey) throws CMSException {
            Object key = contentKey.getRepresentation();
            if (key instanceof byte[] bytes) {
                return bytes;
            }
            if (key instanceof Key jce && jce.getEncoded() != null) {
                return jce.getEncoded();
            }
            throw new CMSException("the content key cannot be read for wrapping ("
                    + key.getClass().getSimpleName() + ")");
        }

        @Override
        protected byte[] getUserKeyingMaterial(AlgorithmIdentifier keyAgreement) {
            return null;
        }
    }
}
