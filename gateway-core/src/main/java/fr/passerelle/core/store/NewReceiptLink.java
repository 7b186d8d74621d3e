package fr.passerelle.core.store;

import fr.passerelle.core.referral.ReceiptStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A single-use receipt link to store with its delivery: only the token's hash is kept.
 *
 * @param tokenSha256 SHA-256 of the token that the link's URL carries (32 bytes); never printed
 * @param status      the receipt the link records: received, accepted or declined
 * @param expiresAt   after this instant the link is refused
 * @param certificateSha256 the fingerprint of the partner certificate that the link's mail is encrypted to (upper-case
 *                    hex pairs joined by colons), once the copy is sealed; the link dies when the partner's entry no
 *                    longer lists that certificate
 */
public record NewReceiptLink(
        byte[] tokenSha256, ReceiptStatus status, Instant expiresAt, Optional<String> certificateSha256) {
    /** A link not yet sealed for a certificate, as {@link ReceiptLinks#issue} makes it. */
    public NewReceiptLink(byte[] tokenSha256, ReceiptStatus status, Instant expiresAt) {
        this(tokenSha256, status, expiresAt, Optional.empty());
    }

    public NewReceiptLink {
        Objects.requireNonNull(tokenSha256, "tokenSha256");
        if (tokenSha256.length != 32) {
            throw new IllegalArgumentException("tokenSha256 has " + tokenSha256.length + " bytes (expected: 32)");
        }
        Objects.requireNonNull(status, "status");
        if (status == ReceiptStatus.COMPLETED) {
            throw new IllegalArgumentException("a receipt link records received, accepted or declined, not " + status);
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
    }

    /** This link, its mail encrypted to the certificate of fingerprint {@code sha256}. */
    public NewReceiptLink sealedFor(String sha256) {
        return new NewReceiptLink(tokenSha256, status, expiresAt, Optional.of(sha256));
    }

    @Override
    public String toString() {
        return "NewReceiptLink[" + status + ", expires " + expiresAt
                + certificateSha256.map(f -> ", sealed for " + f).orElse("") + "]";
    }
}
