package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks an attached CMS SignedData against the one certificate that may have signed it, in the order that gives
 * the most useful error: content present, one signer, the expected signer, the signature, then the signer's
 * validity. Every refusal is a {@code SIGNATURE_INVALID} whose message names the subject and the cause, never the
 * content.
 */
final class SignerCheck {
    /** What passed the check: the signed content and the signing time when the signer put one. */
    record Checked(byte[] content, Optional<Instant> signingTime) {}

    private final String subject;
    private final String expectedSigner;

    /**
     * @param subject        what is checked, for messages: {@code "police-75-brp's submission"}
     * @param expectedSigner whose certificate must have signed, for messages: {@code "police-75-brp's pinned
     *                       certificate"}
     */
    SignerCheck(String subject, String expectedSigner) {
        this.subject = subject;
        this.expectedSigner = expectedSigner;
    }

    /**
     * @param now when present, the signer's certificate must also be valid at this instant
     */
    Checked check(CMSSignedData signed, X509Certificate expected, Optional<Instant> now) {
        try {
            return checkParsed(signed, expected, now);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            // Bouncy Castle reads the inner structures (embedded certificates, attributes) only when asked, and
            // reports one it cannot read with an unchecked exception: that is the sender's malformed body.
            throw invalid(subject + " has a part of its SignedData that cannot be read ("
                    + e.getClass().getSimpleName()
                    + "; expected: a SignedData as `openssl cms -sign -nodetach` writes)");
        }
    }

    private Checked checkParsed(CMSSignedData signed, X509Certificate expected, Optional<Instant> now) {
        if (signed.getSignedContent() == null || !(signed.getSignedContent().getContent() instanceof byte[])) {
            throw invalid(subject + " is a detached signature: the SignedData holds no content (expected: the"
                    + " content inside the SignedData; sign with `openssl cms -sign -nodetach`)");
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw invalid(
                    subject + " has " + signers.size() + " signers (expected: exactly one, by " + expectedSigner + ")");
        }
        SignerInformation signer = signers.iterator().next();
        checkSigner(signed, signer.getSID(), expected);
        // The signature first: until it verifies, the signing time is only a claim.
        verifySignature(signer, expected);
        Optional<Instant> signingTime = signingTime(signer);
        signingTime.ifPresent(time -> checkValidity(expected, time, "at the signing time " + time));
        now.ifPresent(time -> checkValidity(expected, time, "at the current time " + time));
        return new Checked((byte[]) signed.getSignedContent().getContent(), signingTime);
    }

    private void checkSigner(CMSSignedData signed, SignerId sid, X509Certificate expected) {
        X509CertificateHolder expectedHolder;
        try {
            expectedHolder = new JcaX509CertificateHolder(expected);
        } catch (CertificateEncodingException e) {
            throw new GatewayException(ErrorCode.PKI_FAILED, expectedSigner + " cannot be encoded", e);
        }
        if (sid.match(expectedHolder)) {
            return;
        }
        Collection<X509CertificateHolder> embedded = signed.getCertificates().getMatches(sid);
        String actual = embedded.isEmpty()
                ? "a certificate that the SignedData does not include (issuer " + sid.getIssuer() + ", serial "
                        + (sid.getSerialNumber() == null
                                ? "none"
                                : sid.getSerialNumber().toString(16)) + ")"
                : "the certificate with SHA-256 fingerprint "
                        + fingerprint(embedded.iterator().next());
        throw invalid(subject + " is signed by " + actual + ", not by " + expectedSigner + " "
                + Fingerprints.sha256(expected));
    }

    private static String fingerprint(X509CertificateHolder holder) {
        try {
            return Fingerprints.sha256(new JcaX509CertificateConverter().getCertificate(holder));
        } catch (CertificateException e) {
            return "(unreadable certificate, issuer " + holder.getIssuer() + ")";
        }
    }

    private Optional<Instant> signingTime(SignerInformation signer) {
        AttributeTable attributes = signer.getSignedAttributes();
        Attribute attribute = attributes == null ? null : attributes.get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(attribute.getAttrValues().getObjectAt(0))
                    .getDate()
                    .toInstant());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(
                    subject + " has a signing time that cannot be read (expected: UTCTime or" + " GeneralizedTime)");
        }
    }

    private void checkValidity(X509Certificate certificate, Instant at, String when) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (at.isBefore(notBefore) || at.isAfter(notAfter)) {
            throw invalid(subject + " is signed by " + expectedSigner + ", which is not valid " + when
                    + " (expected: valid from " + notBefore + " to " + notAfter + ")");
        }
    }

    private void verifySignature(SignerInformation signer, X509Certificate expected) {
        boolean valid;
        try {
            valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(expected.getPublicKey()));
        } catch (OperatorCreationException e) {
            throw new GatewayException(
                    ErrorCode.SIGNATURE_INVALID,
                    "the signature of " + subject
                            + " cannot be checked: its algorithm " + signer.getEncryptionAlgOID() + " does not fit "
                            + expectedSigner + " (expected: ECDSA, RSASSA-PSS or RSA PKCS#1 v1.5 with SHA-256)",
                    e);
        } catch (CMSException | RuntimeException e) {
            // A changed content fails the message-digest attribute (CMSSignerDigestMismatchException); a
            // malformed signature value may fail inside the provider. Both mean the bytes are not what was signed.
            throw new GatewayException(ErrorCode.SIGNATURE_INVALID, tampered(), e);
        }
        if (!valid) {
            throw invalid(tampered());
        }
    }

    private String tampered() {
        return "the signature of " + subject + " does not verify: the signed content or attributes were changed";
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.SIGNATURE_INVALID, message);
    }
}
