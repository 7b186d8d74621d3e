package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.Fingerprints;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Signs tree heads with the gateway's signing key and checks them with its certificate: SHA256withECDSA for an EC
 * key, RSASSA-PSS with SHA-256 for an RSA key. A check needs nothing but the certificate, so an auditor can run
 * it offline. Stateless and thread-safe.
 */
public final class TreeHeadSigner {
    private TreeHeadSigner() {}

    public static SignedTreeHead sign(TreeHead head, CertifiedKey signer) {
        try {
            Signature signature = signature(signer.key());
            signature.initSign(signer.key());
            signature.update(head.toBeSigned());
            return new SignedTreeHead(head, signature.sign(), Fingerprints.sha256(signer.certificate()));
        } catch (GeneralSecurityException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "cannot sign the audit tree head of size " + head.size() + " with the gateway's signing key",
                    e);
        }
    }

    /** True when {@code head} was signed by the key of {@code signer}, and names that certificate. */
    public static boolean verify(SignedTreeHead head, X509Certificate signer) {
        if (!head.signerFingerprint().equalsIgnoreCase(Fingerprints.sha256(signer))) {
            return false;
        }
        try {
            Signature signature = signature(signer.getPublicKey());
            signature.initVerify(signer.getPublicKey());
            signature.update(head.head().toBeSigned());
            return signature.verify(head.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Signature signature(Key key) throws GeneralSecurityException {
        if (key instanceof RSAKey) {
            Signature pss = Signature.getInstance("RSASSA-PSS");
            pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            return pss;
        }
        if (key.getAlgorithm().equals("EC")) {
            return Signature.getInstance("SHA256withECDSA");
        }
        throw new GatewayException(
                ErrorCode.PKI_FAILED, "the gateway's signing key is " + key.getAlgorithm() + " (expected: EC or RSA)");
    }
}
