package fr.passerelle.core.audit;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A tree head and the gateway's signature over {@link TreeHead#toBeSigned()}.
 *
 * @param signature         ECDSA (DER) or RSASSA-PSS, SHA-256, by the gateway's signing key
 * @param signerFingerprint SHA-256 fingerprint of the certificate whose key signed it
 */
public record SignedTreeHead(TreeHead head, byte[] signature, String signerFingerprint) {
    public SignedTreeHead {
        Objects.requireNonNull(head, "head");
        signature = Objects.requireNonNull(signature, "signature").clone();
        Objects.requireNonNull(signerFingerprint, "signerFingerprint");
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedTreeHead s
                && s.head.equals(head)
                && Arrays.equals(s.signature, signature)
                && s.signerFingerprint.equals(signerFingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(head, Arrays.hashCode(signature), signerFingerprint);
    }

    @Override
    public String toString() {
        return "SignedTreeHead[" + head + ", signature="
                + HexFormat.of().formatHex(signature).substring(0, Math.min(16, signature.length * 2)) + "…, signer="
                + signerFingerprint + "]";
    }
}
