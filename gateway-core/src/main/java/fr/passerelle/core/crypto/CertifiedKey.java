package fr.passerelle.core.crypto;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A private key with its certificate chain, leaf first, as read by {@link PemFiles#readCertifiedKey}. The key
 * matches the leaf's public key. {@link #toString()} never shows the key.
 *
 * @param key      the private key
 * @param chain    the leaf certificate, then the certificates that issued it; never empty
 * @param provider the provider that holds the key and alone can sign with it (a PKCS#11 token's, whose keys never
 *                 leave it); empty for a key in memory, which any provider uses
 */
public record CertifiedKey(PrivateKey key, List<X509Certificate> chain, Optional<Provider> provider) {

    public CertifiedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(provider, "provider");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain is empty (expected: the leaf certificate first)");
        }
    }

    /** A key in memory, as read from a file. */
    public CertifiedKey(PrivateKey key, List<X509Certificate> chain) {
        this(key, chain, Optional.empty());
    }

    /** The leaf certificate, the one that the key belongs to. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain as an array, for the JCA and Netty APIs that take one. */
    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String toString() {
        return "CertifiedKey[" + key.getAlgorithm() + " key, leaf " + Fingerprints.sha256(certificate()) + "]";
    }
}
