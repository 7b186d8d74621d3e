package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

/**
 * What a recipient does with what {@link CmsSealer#seal} wrote: decrypt the envelope with its key, then check the
 * gateway's signature inside. Used by the tests, the demo and partners' Java tools. Stateless and thread-safe.
 */
public final class CmsOpener {
    private static final SignerCheck GATEWAY =
            new SignerCheck("the sealed content", "the trusted signer's" + " certificate");

    private CmsOpener() {}

    /**
     * The content of a sealed envelope, its signing time and the certificate that signed it.
     * {@link #toString()} never shows the content.
     */
    public record Opened(byte[] content, Instant signingTime, X509Certificate signer) {
        public Opened {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(signingTime, "signingTime");
            Objects.requireNonNull(signer, "signer");
        }

        @Override
        public String toString() {
            return "Opened[" + content.length + " bytes, signed " + signingTime + " by " + Fingerprints.sha256(signer)
                    + "]";
        }
    }

    /**
     * Decrypts {@code envelope} (AuthEnvelopedData or EnvelopedData, DER) with the recipient's key, then verifies
     * the SignedData inside against {@code trustedSigner}: the signer must be that very certificate (no chain is
     * built), the signature must verify, and the certificate must be valid at the signing time, which must be
     * present.
     *
     * @throws GatewayException {@code ENVELOPE_INVALID} if the bytes are not a CMS envelope, no recipient matches
     *                          the recipient's certificate, the key cannot unwrap the content key, or the ciphertext
     *                          fails authentication; {@code SIGNATURE_INVALID} if the inside is not a SignedData
     *                          or its signature, signer, signing time or validity is wrong
     */
    public static Opened open(byte[] envelope, CertifiedKey recipient, X509Certificate trustedSigner) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(trustedSigner, "trustedSigner");
        return checkSigned(decrypt(envelope, recipient), trustedSigner);
    }

    /**
     * Verifies a SignedData that the gateway wrote with {@link CmsSealer#sign} (a receipt), with the same checks
     * as the signature inside an envelope.
     *
     * @throws GatewayException {@code SIGNATURE_INVALID} when it is no SignedData, or its signer, signature,
     *                          signing time or validity is wrong
     */
    public static Opened verifySigned(byte[] signedData, X509Certificate trustedSigner) {
        Objects.requireNonNull(signedData, "signedData");
        Objects.requireNonNull(trustedSigner, "trustedSigner");
        return checkSigned(signedData, trustedSigner);
    }

    private static Opened checkSigned(byte[] inner, X509Certificate trustedSigner) {
        CMSSignedData signed;
        try {
            signed = CmsStructures.signedData(inner);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorCode.SIGNATURE_INVALID,
                    "the sealed content is not a CMS SignedData"
                            + " (expected: the sender's signature around the content)",
                    e);
        }
        SignerCheck.Checked checked = GATEWAY.check(signed, trustedSigner, Optional.empty());
        Instant signingTime = checked.signingTime()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.SIGNATURE_INVALID,
                        "the sealed content has no signing time (expected: a signingTime"
                                + " signed attribute, as the gateway always writes)"));
        return new Opened(checked.content(), signingTime, trustedSigner);
    }

    private static byte[] decrypt(byte[] envelope, CertifiedKey recipient) {
        String fingerprint = Fingerprints.sha256(recipient.certificate());
        RecipientInformationStore recipients;
        boolean authenticated;
        try {
            ContentInfo info = CmsStructures.contentInfo(envelope);
            if (CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
                recipients = new CMSAuthEnvelopedData(info).getRecipientInfos();
                authenticated = true;
            } else if (CMSObjectIdentifiers.envelopedData.equals(info.getContentType())) {
                recipients = new CMSEnvelopedData(info).getRecipientInfos();
                authenticated = false;
            } else {
                throw notAnEnvelope(null);
            }
        } catch (CMSException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw notAnEnvelope(e);
        }
        RecipientInformation mine = find(recipients, recipient.certificate())
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.ENVELOPE_INVALID,
                        "no recipient in this envelope"
                                + " matches certificate " + fingerprint + " (the envelope has " + recipients.size()
                                + " recipient(s))"));
        Recipient key;
        if (mine instanceof KeyTransRecipientInformation) {
            key = new JceKeyTransEnvelopedRecipient(recipient.key()).setProvider(BouncyCastle.PROVIDER);
        } else if (mine instanceof KeyAgreeRecipientInformation) {
            key = new JceKeyAgreeEnvelopedRecipient(recipient.key()).setProvider(BouncyCastle.PROVIDER);
        } else {
            throw new GatewayException(
                    ErrorCode.ENVELOPE_INVALID,
                    "the envelope's recipient for certificate " + fingerprint
                            + " is neither key transport nor key agreement (expected: RSA-OAEP or ECDH)");
        }
        try {
            return mine.getContent(key);
        } catch (CMSException | RuntimeException e) {
            throw new GatewayException(
                    ErrorCode.ENVELOPE_INVALID,
                    authenticated
                            ? "the envelope failed authentication: it was changed after sealing, or the key is not"
                                    + " certificate " + fingerprint + "'s"
                            : "the envelope cannot be decrypted: it was changed after sealing, or the key is not"
                                    + " certificate " + fingerprint + "'s",
                    e);
        }
    }

    private static Optional<RecipientInformation> find(
            RecipientInformationStore recipients, X509Certificate certificate) {
        X509CertificateHolder holder;
        try {
            holder = new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED, "certificate " + Fingerprints.sha256(certificate) + " cannot be encoded", e);
        }
        return recipients.getRecipients().stream()
                .filter(info -> info.getRID().match(holder))
                .findFirst();
    }

    private static GatewayException notAnEnvelope(Exception cause) {
        String message = "the envelope is not a CMS AuthEnvelopedData or EnvelopedData (expected: DER, as the"
                + " gateway seals)";
        return cause == null
                ? new GatewayException(ErrorCode.ENVELOPE_INVALID, message)
                : new GatewayException(ErrorCode.ENVELOPE_INVALID, message, cause);
    }
}
