package fr.passerelle.core.revocation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What was learnt about one certificate's revocation.
 *
 * @param result    the outcome
 * @param source    where it was learnt: {@code OCSP http://…} or {@code CRL http://…}; {@code none} when the
 *                  certificate names no source that can be asked
 * @param revokedAt when the certificate was revoked, for {@link Result#REVOKED} only
 * @param detail    why the status is {@link Result#UNAVAILABLE}, for a log line (no certificate content); empty
 *                  otherwise
 */
public record RevocationStatus(Result result, String source, Optional<Instant> revokedAt, String detail) {
    public enum Result {
        /** The issuer's responder or CRL says the certificate is not revoked. */
        GOOD,
        /** The issuer's responder or CRL says the certificate is revoked. */
        REVOKED,
        /** No source could be reached, or none gave a valid answer about the certificate. */
        UNAVAILABLE,
        /** The certificate names no OCSP responder nor CRL distribution point over http. */
        UNCHECKED
    }

    public RevocationStatus {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(detail, "detail");
    }

    static RevocationStatus good(String source) {
        return new RevocationStatus(Result.GOOD, source, Optional.empty(), "");
    }

    static RevocationStatus revoked(String source, Instant at) {
        return new RevocationStatus(Result.REVOKED, source, Optional.of(at), "");
    }

    static RevocationStatus unavailable(String source, String detail) {
        return new RevocationStatus(Result.UNAVAILABLE, source, Optional.empty(), detail);
    }

    static RevocationStatus unchecked() {
        return new RevocationStatus(Result.UNCHECKED, "none", Optional.empty(), "");
    }
}
