package fr.passerelle.server.tls;

import fr.passerelle.core.crypto.CertifiedKey;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the one server key and its chain, for a key that no key store can copy: one held in a PKCS#11 token,
 * which the JDK's TLS code signs with through the token's provider. A key manager factory over the token's whole
 * key store would not do: it picks any key of the right type, and the token may also hold the signing key.
 * Serves the server side only; thread-safe, as it holds nothing that changes.
 */
final class ServerKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "gateway-tls";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final String keyType;

    ServerKeyManager(CertifiedKey server) {
        this.key = server.key();
        this.chain = server.chainArray();
        this.keyType = normalised(key.getAlgorithm());
    }

    /** The key type as the JDK asks for it: {@code EC} for an ECDSA certificate, {@code RSA}, {@code RSASSA-PSS}. */
    private static String normalised(String algorithm) {
        String upper = algorithm.toUpperCase(Locale.ROOT);
        return upper.equals("ECDSA") ? "EC" : upper;
    }

    private String aliasFor(String type) {
        return type != null && normalised(type).equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String type, Principal[] issuers, SSLEngine engine) {
        return aliasFor(type);
    }

    @Override
    public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
        return aliasFor(type);
    }

    @Override
    public String[] getServerAliases(String type, Principal[] issuers) {
        String alias = aliasFor(type);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String type, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
        return null;
    }
}
