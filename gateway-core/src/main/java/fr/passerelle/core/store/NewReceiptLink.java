package fr.passerelle.core.store;

import fr.passerelle.core.referral.ReceiptStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A single-use receipt link to store with its delivery: only the token's hash is kept.
 *
 * @param tokenSha256 SHA-256 of the token that the link's URL carries (32 bytes); never printed
 * @param status      the receipt the link records: received, accepted or declined
 * @param expiresAt   after this instant the link is refused
 */
public record NewReceiptLink(byte[] tokenSha256, ReceiptStatus status, Instant expiresAt) {
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
    }

    @Override
    public String toString() {
        return "NewReceiptLink[" + status + ", expires " + expiresAt + "]";
    }
}
