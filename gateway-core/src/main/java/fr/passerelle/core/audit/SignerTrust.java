package fr.passerelle.core.audit;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Whom a verification trusts to have signed the tree heads: the gateway's current signing certificate, and the
 * certification authorities that a certificate kept with the heads must chain to.
 *
 * <p>A head that names the current certificate is checked with it, as before signers were kept (heads signed
 * before schema version 14 keep no certificate). A head that names another certificate is checked with the one
 * kept with the heads ({@code audit_signer_certificate}, or the export's {@code signerCertificate} lines), which
 * must chain to one of {@code authorities} and be valid, with its chain, at the head's time.
 *
 * @param current     the gateway's signing certificate
 * @param authorities trust anchors (and intermediates) for the certificates kept with the heads; may be empty,
 *                    and then only heads signed by {@code current} verify
 */
public record SignerTrust(X509Certificate current, List<X509Certificate> authorities) {
    public SignerTrust {
        Objects.requireNonNull(current, "current");
        authorities = List.copyOf(authorities);
    }

    /** Trusts {@code certificate} alone: only heads that it signed verify. */
    public static SignerTrust only(X509Certificate certificate) {
        return new SignerTrust(certificate, List.of());
    }

    /**
     * From the gateway's signing certificate chain as {@code signing.certificate} holds it: the leaf, the current
     * signer, then the certificates that issued it, trusted as the authorities of the kept signers.
     *
     * @param chain leaf first; never empty
     */
    public static SignerTrust ofChain(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("signing certificate chain is empty (expected: the leaf first)");
        }
        return new SignerTrust(chain.get(0), chain.subList(1, chain.size()));
    }

    /**
     * This trust, or, when it has no authorities (a signing certificate file that holds the leaf alone), the same
     * current certificate with {@code fallback} as the authorities.
     */
    public SignerTrust orAuthorities(List<X509Certificate> fallback) {
        return authorities.isEmpty() ? withAuthorities(fallback) : this;
    }

    /** The same current certificate, with {@code others} as the authorities instead. */
    public SignerTrust withAuthorities(List<X509Certificate> others) {
        return new SignerTrust(current, others);
    }
}
