package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest the gateway uses: for chaining and Merkle trees in the audit log, keying receipt links
 * and idempotency keys, pinning downloads and fingerprinting configuration sets. Every method is thread-safe and
 * takes no nulls. {@link #newDigest} gives a fresh {@link MessageDigest}; {@link #digest} and {@link #hex} hash with
 * one kept per thread, as they run several times per referral and the JCA look-up costs more than hashing a few
 * hundred bytes.
 */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {}

    /** A fresh digest, for input that arrives in pieces. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "this Java runtime has no SHA-256 (expected: every" + " Java 17 runtime has one)",
                    e);
        }
    }

    /** @return the 32-byte SHA-256 of {@code parts} one after the other, with nothing between them */
    public static byte[] digest(byte[]... parts) {
        MessageDigest sha256 = DIGESTS.get();
        // A digest left half-fed by an exception must not leak into the next caller's hash.
        sha256.reset();
        for (byte[] part : parts) {
            sha256.update(part);
        }
        return sha256.digest();
    }

    /** @return the SHA-256 of {@code bytes} as 64 lower-case hex digits */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }
}
